namespace Atelier.Ml.Customers;

/// <summary>
/// Gaussian mixture with diagonal covariances fitted by EM (Dempster, Laird &amp; Rubin 1977), initialised from
/// k-means++ centres. Variances are floored (reg) so components cannot collapse onto single points.
/// </summary>
public sealed class GaussianMixture
{
    public int K { get; }
    public int Dims { get; }
    public double[] Weights { get; }
    public double[] Means { get; }     // k×d
    public double[] Variances { get; } // k×d
    public double LogLikelihood { get; private set; }
    public int Iterations { get; private set; }

    private GaussianMixture(int k, int d)
    {
        K = k; Dims = d; Weights = new double[k]; Means = new double[k * d]; Variances = new double[k * d];
    }

    /// <summary>Bayesian information criterion: −2·logL + params·ln n (lower is better).</summary>
    public double Bic(int rows) => -2 * LogLikelihood + (K - 1 + 2 * K * Dims) * Math.Log(rows);

    public static GaussianMixture Fit(float[] data, int rows, int dims, int k, int seed = 42, int maxIter = 200, double tol = 1e-6, double reg = 1e-6)
    {
        var g = new GaussianMixture(k, dims);
        var km = KMeans.Fit(data, rows, dims, k, restarts: 3, seed: seed);
        var resp = new double[rows * k];
        for (var i = 0; i < rows; i++) resp[i * k + km.Assignments[i]] = 1;
        g.MStep(data, rows, resp, reg);
        var prev = double.NegativeInfinity;
        for (var iter = 0; iter < maxIter; iter++)
        {
            var ll = g.EStep(data, rows, resp);
            g.LogLikelihood = ll; g.Iterations = iter + 1;
            if (ll - prev < tol * Math.Abs(ll)) break;
            prev = ll;
            g.MStep(data, rows, resp, reg);
        }
        return g;
    }

    /// <summary>Posterior responsibilities (rows×k) in place; returns the total log-likelihood.</summary>
    private double EStep(float[] data, int rows, double[] resp)
    {
        double ll = 0;
        var logp = new double[K];
        for (var i = 0; i < rows; i++)
        {
            var x = data.AsSpan(i * Dims, Dims);
            var max = double.NegativeInfinity;
            for (var c = 0; c < K; c++) { logp[c] = Math.Log(Math.Max(Weights[c], 1e-300)) + LogDensity(x, c); max = Math.Max(max, logp[c]); }
            double s = 0;
            for (var c = 0; c < K; c++) s += Math.Exp(logp[c] - max);
            var lse = max + Math.Log(s);
            ll += lse;
            for (var c = 0; c < K; c++) resp[i * K + c] = Math.Exp(logp[c] - lse);
        }
        return ll;
    }

    private void MStep(float[] data, int rows, double[] resp, double reg)
    {
        Array.Clear(Means); Array.Clear(Variances);
        var nk = new double[K];
        for (var i = 0; i < rows; i++)
            for (var c = 0; c < K; c++)
            {
                var r = resp[i * K + c];
                if (r == 0) continue;
                nk[c] += r;
                for (var j = 0; j < Dims; j++) Means[c * Dims + j] += r * data[i * Dims + j];
            }
        for (var c = 0; c < K; c++)
        {
            Weights[c] = nk[c] / rows;
            for (var j = 0; j < Dims; j++) Means[c * Dims + j] /= Math.Max(nk[c], 1e-300);
        }
        for (var i = 0; i < rows; i++)
            for (var c = 0; c < K; c++)
            {
                var r = resp[i * K + c];
                if (r == 0) continue;
                for (var j = 0; j < Dims; j++) { var d = data[i * Dims + j] - Means[c * Dims + j]; Variances[c * Dims + j] += r * d * d; }
            }
        for (var c = 0; c < K; c++)
            for (var j = 0; j < Dims; j++) Variances[c * Dims + j] = Variances[c * Dims + j] / Math.Max(nk[c], 1e-300) + reg;
    }

    private double LogDensity(ReadOnlySpan<float> x, int c)
    {
        double s = 0;
        for (var j = 0; j < Dims; j++)
        {
            var v = Variances[c * Dims + j]; var d = x[j] - Means[c * Dims + j];
            s += -0.5 * (Math.Log(2 * Math.PI * v) + d * d / v);
        }
        return s;
    }

    /// <summary>Most probable component of a row.</summary>
    public int Predict(ReadOnlySpan<float> x)
    {
        var best = 0; var bestLp = double.NegativeInfinity;
        for (var c = 0; c < K; c++)
        {
            var lp = Math.Log(Math.Max(Weights[c], 1e-300)) + LogDensity(x, c);
            if (lp > bestLp) { bestLp = lp; best = c; }
        }
        return best;
    }
}
