namespace Atelier.Ml.Customers;

/// <summary>
/// Platt (1999) calibration p = σ(A·s + B), fitted by Newton's method on the log-loss with Platt's smoothed
/// targets (N₊+1)/(N₊+2) and 1/(N₋+2).
/// </summary>
public sealed record PlattScaling(double A, double B)
{
    public static PlattScaling Fit(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels)
    {
        int pos = 0, n = scores.Length;
        for (var i = 0; i < n; i++) if (labels[i] > 0.5f) pos++;
        double hi = (pos + 1.0) / (pos + 2.0), lo = 1.0 / (n - pos + 2.0);
        double a = 1, b = 0;
        for (var iter = 0; iter < 100; iter++)
        {
            double g0 = 0, g1 = 0, h00 = 1e-12, h01 = 0, h11 = 1e-12;
            for (var i = 0; i < n; i++)
            {
                var t = labels[i] > 0.5f ? hi : lo;
                var p = 1 / (1 + Math.Exp(-(a * scores[i] + b)));
                var d = p - t; var w = p * (1 - p);
                g0 += d * scores[i]; g1 += d;
                h00 += w * scores[i] * scores[i]; h01 += w * scores[i]; h11 += w;
            }
            var det = h00 * h11 - h01 * h01;
            if (Math.Abs(det) < 1e-300) break;
            var da = (h11 * g0 - h01 * g1) / det; var db = (h00 * g1 - h01 * g0) / det;
            a -= da; b -= db;
            if (Math.Abs(da) + Math.Abs(db) < 1e-10) break;
        }
        return new PlattScaling(a, b);
    }

    public float Apply(float score) => (float)(1 / (1 + Math.Exp(-(A * score + B))));

    public float[] Apply(ReadOnlySpan<float> scores)
    {
        var p = new float[scores.Length];
        for (var i = 0; i < p.Length; i++) p[i] = Apply(scores[i]);
        return p;
    }
}
