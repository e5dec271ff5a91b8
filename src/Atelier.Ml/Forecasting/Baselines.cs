namespace Atelier.Ml.Forecasting;

/// <summary>Benchmark forecasters (Hyndman &amp; Athanasopoulos, FPP3 §5.2) with residual-based sigma.</summary>
public static class Baselines
{
    public static PointForecast Naive(ReadOnlySpan<double> y, int horizon)
    {
        double sigma = ResidualSd(y, 1);
        return PointForecast.Flat(y.Length > 0 ? y[^1] : 0, sigma, horizon, randomWalk: true);
    }

    /// <summary>Seasonal naive with period m; falls back to <see cref="Naive"/> when fewer than m observations.</summary>
    public static PointForecast SeasonalNaive(ReadOnlySpan<double> y, int period, int horizon)
    {
        if (period <= 1 || y.Length < period) return Naive(y, horizon);
        double sigma = ResidualSd(y, period);
        var mean = new double[horizon];
        var sd = new double[horizon];
        int n = y.Length;
        for (int h = 0; h < horizon; h++)
        {
            int k = h / period; // completed seasons ahead
            mean[h] = y[n - period + h % period];
            sd[h] = sigma * Math.Sqrt(k + 1);
        }
        return new PointForecast(mean, sd);
    }

    /// <summary>Mean of the last <paramref name="window"/> observations; sigma from its one-step residuals.</summary>
    public static PointForecast MovingAverage(ReadOnlySpan<double> y, int window, int horizon)
    {
        int n = y.Length;
        if (n == 0) return PointForecast.Flat(0, 0, horizon, false);
        window = Math.Min(window, n);
        double sum = 0;
        for (int i = n - window; i < n; i++) sum += y[i];
        double level = sum / window;
        // one-step residuals of the trailing mean over the history
        double ss = 0; int cnt = 0; double run = 0;
        for (int t = 0; t < n; t++)
        {
            if (t >= window)
            {
                double e = y[t] - run / window;
                ss += e * e; cnt++;
                run -= y[t - window];
            }
            run += y[t];
        }
        double s1 = cnt > 1 ? Math.Sqrt(ss / cnt) : Math.Abs(level);
        var mean = new double[horizon]; var sd = new double[horizon];
        for (int h = 0; h < horizon; h++) { mean[h] = level; sd[h] = s1 * Math.Sqrt(1 + (double)h / window); }
        return new PointForecast(mean, sd);
    }

    /// <summary>RMS of lag-<paramref name="lag"/> differences (the in-sample one-step error of a (seasonal) naive).</summary>
    public static double ResidualSd(ReadOnlySpan<double> y, int lag)
    {
        double ss = 0; int cnt = 0;
        for (int t = lag; t < y.Length; t++) { double d = y[t] - y[t - lag]; ss += d * d; cnt++; }
        return cnt > 0 ? Math.Sqrt(ss / cnt) : 0;
    }

    /// <summary>Median of the last <paramref name="window"/> observations: the MAE-optimal level for lumpy series.</summary>
    public static PointForecast MovingMedian(ReadOnlySpan<double> y, int window, int horizon)
    {
        int n = y.Length;
        if (n == 0) return PointForecast.Flat(0, 0, horizon, false);
        window = Math.Min(window, n);
        Span<double> buf = window <= 256 ? stackalloc double[window] : new double[window];
        y[(n - window)..].CopyTo(buf);
        buf.Sort();
        double med = window % 2 == 1 ? buf[window / 2] : 0.5 * (buf[window / 2 - 1] + buf[window / 2]);
        var ma = MovingAverage(y, window, horizon);
        return new PointForecast(Enumerable.Repeat(med, horizon).ToArray(), ma.Sigma);
    }
}
