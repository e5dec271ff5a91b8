using Atelier.Ml.Forecasting;

namespace Atelier.Services.Forecasting;

/// <summary>
/// Temporal hierarchy (Athanasopoulos et al. 2017): forecasts weekly rows by summing a daily model's forecasts of
/// the matching daily series over the trading days of each future week (6 per Saturday–Friday week). Rows without a
/// daily counterpart use <paramref name="fallback"/>. Sigma of a week = daily sigmas added in quadrature.
/// </summary>
public sealed class TemporalAggregateModel(string name, IReadOnlyDictionary<int, SeriesSet> dailyByRow, int daysPerWeek,
    LocalForecaster daily, IForecastModel fallback) : IForecastModel
{
    public string Name => name;

    public PointForecast[] Forecast(SeriesSet set, int cut, int horizon)
    {
        var result = fallback.Forecast(set, cut, horizon);
        DateOnly lastDay = set.PeriodEnds[cut - 1];
        foreach (var (row, d) in dailyByRow)
        {
            int dcut = 0;
            while (dcut < d.Length && d.PeriodEnds[dcut] <= lastDay) dcut++;
            var f = daily(d.Values[0].AsSpan(0, dcut), d.Period, horizon * daysPerWeek);
            var mean = new double[horizon]; var sd = new double[horizon];
            for (int h = 0; h < horizon; h++)
            {
                double v = 0;
                for (int k = 0; k < daysPerWeek; k++) { mean[h] += f.Mean[h * daysPerWeek + k]; v += f.Sigma[h * daysPerWeek + k] * f.Sigma[h * daysPerWeek + k]; }
                sd[h] = Math.Sqrt(v);
            }
            result[row] = new PointForecast(mean, sd);
        }
        return result;
    }
}
