namespace Atelier.Ml.Evaluation;

/// <summary>A relative gain mean(a) / mean(b) − 1 with its percentile bootstrap interval.</summary>
public sealed record GainInterval(double Gain, double Lower, double Upper, double Level, int Resamples);

/// <summary>
/// Percentile bootstrap over paired observations (Efron &amp; Tibshirani 1993, ch. 13): the same resampled rows for both
/// arms, so an interval for "model A over model B on the same customers" keeps their per-customer correlation.
/// </summary>
public static class PairedBootstrap
{
    /// <summary>Interval for mean(<paramref name="a"/>) / mean(<paramref name="b"/>) − 1, rows resampled with replacement.</summary>
    public static GainInterval RelativeGain(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int resamples = 2000, double level = 0.9, int seed = 17)
    {
        if (a.Length != b.Length || a.Length == 0) throw new ArgumentException("a and b need the same, non-zero number of rows");
        if (resamples < 2 || level is <= 0 or >= 1) throw new ArgumentException("need at least 2 resamples and a level in (0, 1)");
        int n = a.Length;
        double sumA = 0, sumB = 0;
        for (int r = 0; r < n; r++) { sumA += a[r]; sumB += b[r]; }
        var gains = new double[resamples];
        var rng = new Random(seed);
        for (int s = 0; s < resamples; s++)
        {
            double sa = 0, sb = 0;
            for (int t = 0; t < n; t++)
            {
                int r = rng.Next(n);
                sa += a[r];
                sb += b[r];
            }
            gains[s] = sb > 0 ? sa / sb - 1 : double.NaN;
        }
        Array.Sort(gains);
        double tail = (1 - level) / 2;
        return new GainInterval(sumB > 0 ? sumA / sumB - 1 : double.NaN, Quantile(gains, tail), Quantile(gains, 1 - tail), level, resamples);
    }

    /// <summary>Linear-interpolation quantile of sorted values (NaN sorts first and is skipped).</summary>
    private static double Quantile(double[] sorted, double q)
    {
        int start = 0;
        while (start < sorted.Length && double.IsNaN(sorted[start])) start++;
        int m = sorted.Length - start;
        if (m == 0) return double.NaN;
        double pos = q * (m - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(m - 1, lo + 1);
        return sorted[start + lo] + (pos - lo) * (sorted[start + hi] - sorted[start + lo]);
    }
}
