namespace Atelier.Ml.Forecasting;

/// <summary>
/// A model's h-step forecast: the mean path and the standard deviation of the h-step error (normal approximation).
/// Intervals come from <see cref="PredictionIntervals"/>, optionally rescaled by backtest calibration.
/// </summary>
public sealed class PointForecast
{
    public PointForecast(double[] mean, double[] sigma)
    {
        if (mean.Length != sigma.Length) throw new ArgumentException("mean and sigma lengths differ");
        Mean = mean;
        Sigma = sigma;
    }

    public double[] Mean { get; }
    public double[] Sigma { get; }
    public int Horizon => Mean.Length;

    public static PointForecast Flat(double level, double sigma1, int horizon, bool randomWalk)
    {
        var m = new double[horizon];
        var s = new double[horizon];
        for (int h = 0; h < horizon; h++)
        {
            m[h] = level;
            s[h] = randomWalk ? sigma1 * Math.Sqrt(h + 1) : sigma1;
        }
        return new PointForecast(m, s);
    }
}

/// <summary>Point forecast with 80% and 95% prediction intervals.</summary>
public sealed record IntervalForecast(double[] Mean, double[] Lower80, double[] Upper80, double[] Lower95, double[] Upper95);

/// <summary>Normal-theory intervals with empirical scale factors (1 = uncalibrated).</summary>
public static class PredictionIntervals
{
    public const double Z80 = 1.2815515655446004;
    public const double Z95 = 1.959963984540054;

    public static IntervalForecast Build(PointForecast f, double scale80 = 1, double scale95 = 1, bool nonNegative = true)
    {
        int h = f.Horizon;
        var lo80 = new double[h]; var hi80 = new double[h]; var lo95 = new double[h]; var hi95 = new double[h];
        for (int i = 0; i < h; i++)
        {
            double m = f.Mean[i], s = f.Sigma[i];
            lo80[i] = m - Z80 * scale80 * s; hi80[i] = m + Z80 * scale80 * s;
            lo95[i] = m - Z95 * scale95 * s; hi95[i] = m + Z95 * scale95 * s;
            if (nonNegative) { lo80[i] = Math.Max(0, lo80[i]); lo95[i] = Math.Max(0, lo95[i]); }
        }
        return new IntervalForecast(f.Mean, lo80, hi80, lo95, hi95);
    }

    /// <summary>
    /// Calibration from backtest standardized errors z = (y - mean) / sigma: the scale that makes the empirical
    /// |z| quantile equal the normal one (pooled over rolling origins).
    /// </summary>
    public static (double Scale80, double Scale95) Calibrate(IReadOnlyList<double> standardizedErrors)
    {
        if (standardizedErrors.Count < 5) return (1, 1);
        var a = new double[standardizedErrors.Count];
        for (int i = 0; i < a.Length; i++) a[i] = Math.Abs(standardizedErrors[i]);
        Array.Sort(a);
        double q80 = Quantile(a, 0.8), q95 = Quantile(a, 0.95);
        return (Math.Clamp(q80 / Z80, 0.25, 6), Math.Clamp(q95 / Z95, 0.25, 6));
    }

    /// <summary>Linear-interpolated quantile of sorted data.</summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double p)
    {
        if (sorted.Length == 0) return double.NaN;
        double pos = p * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
