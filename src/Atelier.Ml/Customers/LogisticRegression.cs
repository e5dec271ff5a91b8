namespace Atelier.Ml.Customers;

/// <summary>
/// L2-regularised logistic regression on standardised features, fitted by Newton's method (IRLS).
/// Missing values (NaN) are imputed with the training mean (0 after standardisation). The intercept is not penalised.
/// </summary>
public sealed class LogisticRegression
{
    private readonly double[] _mean, _scale, _w; // _w[0] = intercept

    private LogisticRegression(double[] mean, double[] scale, double[] w) { _mean = mean; _scale = scale; _w = w; }

    public int FeatureCount => _mean.Length;
    /// <summary>Coefficients on the standardised features (intercept excluded).</summary>
    public double[] Coefficients => _w[1..];
    public double Intercept => _w[0];

    public static LogisticRegression Fit(float[] features, int rows, int cols, float[] labels, double l2 = 1.0, int maxIter = 50)
    {
        var mean = new double[cols]; var scale = new double[cols];
        for (var f = 0; f < cols; f++)
        {
            double s = 0, ss = 0; var c = 0;
            for (var r = 0; r < rows; r++)
            {
                var v = features[r * cols + f];
                if (float.IsNaN(v)) continue;
                s += v; ss += (double)v * v; c++;
            }
            mean[f] = c > 0 ? s / c : 0;
            var var = c > 1 ? ss / c - mean[f] * mean[f] : 0;
            scale[f] = var > 1e-12 ? Math.Sqrt(var) : 1;
        }
        var model = new LogisticRegression(mean, scale, new double[cols + 1]);
        var d = cols + 1;
        var z = new double[rows * d];
        for (var r = 0; r < rows; r++)
        {
            z[r * d] = 1;
            for (var f = 0; f < cols; f++) z[r * d + f + 1] = model.Standardise(features[r * cols + f], f);
        }
        var w = model._w;
        var grad = new double[d]; var hess = new double[d * d];
        for (var iter = 0; iter < maxIter; iter++)
        {
            Array.Clear(grad); Array.Clear(hess);
            for (var r = 0; r < rows; r++)
            {
                var row = z.AsSpan(r * d, d);
                double s = 0;
                for (var j = 0; j < d; j++) s += w[j] * row[j];
                var p = 1 / (1 + Math.Exp(-s));
                var e = p - labels[r]; var h = Math.Max(p * (1 - p), 1e-12);
                for (var j = 0; j < d; j++)
                {
                    grad[j] += e * row[j];
                    for (var k = 0; k <= j; k++) hess[j * d + k] += h * row[j] * row[k];
                }
            }
            for (var j = 0; j < d; j++)
            {
                for (var k = 0; k < j; k++) hess[k * d + j] = hess[j * d + k];
                if (j > 0) { grad[j] += l2 * w[j]; hess[j * d + j] += l2; }
                else hess[0] += 1e-9;
            }
            var step = LinearAlgebra.Solve(hess, grad, d);
            double change = 0;
            for (var j = 0; j < d; j++) { w[j] -= step[j]; change = Math.Max(change, Math.Abs(step[j])); }
            if (change < 1e-8) break;
        }
        return model;
    }

    private double Standardise(float v, int f) => float.IsNaN(v) ? 0 : (v - _mean[f]) / _scale[f];

    /// <summary>Log-odds of one row.</summary>
    public float PredictRaw(ReadOnlySpan<float> row)
    {
        var s = _w[0];
        for (var f = 0; f < _mean.Length; f++) s += _w[f + 1] * Standardise(row[f], f);
        return (float)s;
    }

    public float PredictProbability(ReadOnlySpan<float> row) => (float)(1 / (1 + Math.Exp(-(double)PredictRaw(row))));
}
