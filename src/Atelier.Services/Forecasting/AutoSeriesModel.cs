using Atelier.Ml.Forecasting;

namespace Atelier.Services.Forecasting;

/// <summary>
/// The per-series automatic choice used when serving: intermittent series (average demand interval ≥ 1.32,
/// Syntetos, Boylan &amp; Croston 2005) get SBA, regular ones ETS chosen by AICc, very short ones a moving average.
/// Leading zeros (before the first sale) are dropped. Means are clamped at zero.
/// </summary>
public static class AutoSeriesModel
{
    public const double IntermittentAdi = 1.32;

    public static (string Model, PointForecast Forecast) Forecast(ReadOnlySpan<double> y, int period, int horizon)
    {
        int first = 0;
        while (first < y.Length && y[first] <= 0) first++;
        y = y[first..];
        int nonZero = 0;
        foreach (var v in y) if (v > 0) nonZero++;
        if (nonZero == 0) return ("zero", PointForecast.Flat(0, 0, horizon, false));
        (string, PointForecast) r;
        if ((double)y.Length / nonZero >= IntermittentAdi) r = ("sba", Intermittent.Forecast(y, IntermittentMethod.Sba, horizon));
        else if (y.Length < 8) r = ("moving_average", Baselines.MovingAverage(y, 4, horizon));
        else
        {
            var m = EtsFitter.AutoFit(y, period);
            r = m is null ? ("seasonal_naive", Baselines.SeasonalNaive(y, period, horizon)) : (m.Spec.ToString(), m.Forecast(horizon));
        }
        return (r.Item1, Clean(r.Item2));
    }

    /// <summary>Non-negative finite means and finite sigmas (a diverging fit falls back to a flat zero spread).</summary>
    private static PointForecast Clean(PointForecast f)
    {
        var mean = new double[f.Horizon];
        var sd = new double[f.Horizon];
        for (int h = 0; h < f.Horizon; h++)
        {
            mean[h] = double.IsFinite(f.Mean[h]) ? Math.Max(0, f.Mean[h]) : 0;
            sd[h] = double.IsFinite(f.Sigma[h]) ? Math.Max(0, f.Sigma[h]) : 0;
        }
        return new PointForecast(mean, sd);
    }
}
