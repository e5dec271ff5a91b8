namespace Atelier.Services.Forecasting;

public sealed record HmEvaluation(IReadOnlyList<LevelReport> Levels, IReadOnlyList<TrendBacktestResult> Trends,
    IReadOnlyDictionary<string, List<TrendItem>> CurrentTrends, double LastWeekWeight);

/// <summary>
/// H&amp;M weekly levels with the UCI weekly protocol (4 origins × 2 weeks, refit, 8 earlier origins): total and the
/// 20 largest product types (a hierarchy with the rest as "other"); plus trend-detection backtests per attribute.
/// </summary>
public static class HmForecastEvaluation
{
    public static HmEvaluation Run(Action<string>? log = null)
    {
        var hm = HmSeries.Load();
        var (names, values, _) = hm.Top("product_type", 0, 20);
        var rest = new double[hm.Total.Length];
        for (int i = 0; i < rest.Length; i++) rest[i] = hm.Total[i] - values.Sum(v => v[i]);
        var set = new SeriesSet("hm_weekly", "weekly", 52, ["total", .. names, "other"], [hm.Total, .. values, rest], hm.WeekEnds);
        var bt = new Backtest(set, RetailForecastEvaluation.WeeklyHorizon, RetailForecastEvaluation.Origins, earlierOrigins: 8);
        var (allNames, allValues, _) = hm.Top("product_type", 1);
        log?.Invoke($"hm_weekly: gbdt (pool {allNames.Length} product types)");
        bt.Run(new GlobalGbdtModel(new SeriesSet("hm_product_types", "weekly", 52, allNames, allValues, hm.WeekEnds)));
        var choices = RetailForecastEvaluation.RunModels(bt, maWindow: 4, log);
        var levels = new List<LevelReport>
        {
            ForecastEvaluation.Level(bt, "hm_weekly_total", [0], bt.Models, choices),
            ForecastEvaluation.Level(bt, "hm_weekly_product_type", Enumerable.Range(1, names.Length).ToArray(), bt.Models, choices),
        };
        var trends = new List<TrendBacktestResult>();
        var current = new Dictionary<string, List<TrendItem>>();
        foreach (var kind in HmSeries.Kinds)
        {
            log?.Invoke($"trends: {kind}");
            // groups with on average ≥ 1 sampled unit a week, so growth is not pure noise
            var (gn, gv, gf) = hm.Top(kind, hm.Total.Length);
            if (gn.Length < 12) continue;
            trends.Add(TrendBacktest.Run(kind, gv, gf));
            current[kind] = TrendBacktest.Current(gn, gv, gf, 10);
        }
        return new HmEvaluation(levels, trends, current, hm.LastWeekWeight);
    }
}
