using System.Globalization;
using Atelier.Ml.Forecasting;

namespace Atelier.Services.Forecasting;

/// <summary>
/// The global gradient-boosted forecaster over a set plus an extra training pool on the same time axis (e.g. all
/// article-level series), with week-of-year (weekly) or weekday (daily) as the calendar feature and average unit
/// price where the set has it.
/// </summary>
public sealed class GlobalGbdtModel(SeriesSet? extraPool, string name = "gbdt") : IForecastModel
{
    public string Name => name;

    public PointForecast[] Forecast(SeriesSet set, int cut, int horizon)
    {
        var calendar = new int[set.Length + horizon];
        for (int t = 0; t < calendar.Length; t++)
        {
            var d = t < set.Length ? set.PeriodEnds[t] : set.PeriodEnds[^1].AddDays(set.Frequency == "weekly" ? 7 * (t - set.Length + 1) : t - set.Length + 1);
            calendar[t] = set.Frequency == "weekly" ? ISOWeek.GetWeekOfYear(d.ToDateTime(TimeOnly.MinValue)) : (int)d.DayOfWeek;
        }
        var targets = Inputs(set);
        var train = new List<GlobalBoostedForecaster.Input>(targets);
        if (extraPool is not null) train.AddRange(Inputs(extraPool));
        return GlobalBoostedForecaster.Forecast(train, targets, calendar, cut, horizon);
    }

    private static List<GlobalBoostedForecaster.Input> Inputs(SeriesSet s) =>
        [.. Enumerable.Range(0, s.Count).Select(i => new GlobalBoostedForecaster.Input(s.Values[i], s.Prices?[i]))];
}
