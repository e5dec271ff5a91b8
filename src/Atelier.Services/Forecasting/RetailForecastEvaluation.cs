using Atelier.Ml.Forecasting;

namespace Atelier.Services.Forecasting;

/// <summary>
/// The fixed UCI protocol: units sold; weekly = last 8 weeks as 4 origins × 2 weeks, daily = last 28 trading days
/// as 4 origins × 7 days; refit at each origin; levels daily total, weekly total, weekly per country (10 largest).
/// Earlier origins (same horizon) calibrate intervals and drive the per-series choice of <c>auto</c>.
/// </summary>
public static class RetailForecastEvaluation
{
    public const int WeeklyHorizon = 2, DailyHorizon = 7, Origins = 4;

    public static IReadOnlyList<LevelReport> Run(RetailSeries data, Action<string>? log = null)
    {
        var reports = new List<LevelReport>();
        // Daily total
        var daily = data.DailyTotal();
        var dbt = new Backtest(daily, DailyHorizon, Origins, earlierOrigins: 8);
        var dailyChoices = RunModels(dbt, maWindow: 6, log);
        reports.Add(ForecastEvaluation.Level(dbt, "daily_total", [0], dbt.Models, dailyChoices));

        // Weekly hierarchy: total = Σ countries; rows 0 = total, 1..10 = largest countries, 11 = the rest
        var weekly = WeeklyHierarchy(data, 10);
        var wbt = new Backtest(weekly, WeeklyHorizon, Origins, earlierOrigins: 8);
        wbt.Run(new TemporalAggregateModel("daily_sum", new Dictionary<int, SeriesSet> { [0] = daily }, 6,
            (y, p, h) => EtsFitter.AutoFit(y, p, allowMultiplicative: false)?.Forecast(h) ?? Baselines.SeasonalNaive(y, p, h), ForecastModels.Ets));
        var articles = data.WeeklyByArticle(minWeeksWithSales: 20);
        log?.Invoke($"weekly_hierarchy: gbdt (pool {articles.Count} articles)");
        wbt.Run(new GlobalGbdtModel(articles));
        var weeklyChoices = RunModels(wbt, maWindow: 4, log);
        reports.Add(ForecastEvaluation.Level(wbt, "weekly_total", [0], wbt.Models, weeklyChoices));
        reports.Add(ForecastEvaluation.Level(wbt, "weekly_country", Enumerable.Range(1, 10).ToArray(), wbt.Models, weeklyChoices));
        return reports;
    }

    /// <summary>Candidates for the per-series choice (those present in the backtest).</summary>
    public static readonly string[] AutoCandidates =
        ["naive", "seasonal_naive", "moving_average", "median", "ets", "tsb", "daily_sum", "gbdt", "ensemble"];

    /// <summary>auto = per series and origin, the candidate with the best mean MASE over the 8 previous origins.</summary>
    public const int AutoWindow = 8;

    public static string[][] RunModels(Backtest bt, int maWindow, Action<string>? log)
    {
        foreach (var m in new[] { ForecastModels.Naive, ForecastModels.SeasonalNaive, ForecastModels.MovingAverage(maWindow),
                     new LocalModel("median", (y, _, h) => Baselines.MovingMedian(y, 2 * maWindow, h)),
                     ForecastModels.Ets, ForecastModels.Croston, ForecastModels.Sba, ForecastModels.Tsb })
        {
            log?.Invoke($"{bt.Set.Level}: {m.Name}");
            bt.Run(m);
        }
        if (bt.Models.Contains("gbdt")) bt.AddEnsemble("ensemble", "ets", "gbdt", "moving_average");
        else bt.AddEnsemble("ensemble", "ets", "moving_average", "seasonal_naive");
        if (bt.Set.Count > 1) AddMinT(bt, "ensemble", "mint");
        bt.AddAuto("auto", AutoCandidates, AutoWindow, out var chosen);
        return chosen;
    }

    public static SeriesSet WeeklyHierarchy(RetailSeries data, int top)
    {
        var all = data.WeeklyByCountry(int.MaxValue);
        int t = all.Length;
        var total = new double[t];
        var rest = new double[t];
        for (int s = 0; s < all.Count; s++)
            for (int i = 0; i < t; i++) { total[i] += all.Values[s][i]; if (s >= top) rest[i] += all.Values[s][i]; }
        var names = new List<string> { "total" };
        var values = new List<double[]> { total };
        for (int s = 0; s < Math.Min(top, all.Count); s++) { names.Add(all.Names[s]); values.Add(all.Values[s]); }
        names.Add("other"); values.Add(rest);
        return new SeriesSet("weekly_hierarchy", "weekly", 52, [.. names], [.. values], all.PeriodEnds);
    }

    /// <summary>MinT-shrink reconciliation of a base model over the two-level weekly hierarchy (rows 1.. sum to row 0).</summary>
    public static void AddMinT(Backtest bt, string baseModel, string name)
    {
        int nodes = bt.Set.Count;
        var parent = new int[nodes];
        parent[0] = -1;
        for (int i = 1; i < nodes; i++) parent[i] = 0;
        var rec = Reconciliation.FromParents(parent, out _);
        var f = new PointForecast[bt.Cuts.Length][];
        for (int c = 0; c < bt.Cuts.Length; c++)
        {
            // in-sample one-step residuals of the naive model up to the cut as the residual proxy for W
            int cut = bt.Cuts[c];
            int rows = cut - 1;
            var res = new double[rows * nodes];
            for (int t = 1; t < cut; t++)
                for (int j = 0; j < nodes; j++) res[(t - 1) * nodes + j] = bt.Set.Values[j][t] - bt.Set.Values[j][t - 1];
            var w = Reconciliation.ShrinkCovariance(res, rows, nodes, out _);
            var proj = rec.MinTProjection(w);
            f[c] = new PointForecast[nodes];
            var means = new double[bt.Horizon][];
            for (int h = 0; h < bt.Horizon; h++)
            {
                var baseF = new double[nodes];
                for (int j = 0; j < nodes; j++) baseF[j] = bt[baseModel][c][j].Mean[h];
                means[h] = rec.Apply(proj, baseF);
            }
            for (int j = 0; j < nodes; j++)
            {
                var mean = new double[bt.Horizon];
                for (int h = 0; h < bt.Horizon; h++) mean[h] = means[h][j];
                f[c][j] = new PointForecast(mean, (double[])bt[baseModel][c][j].Sigma.Clone());
            }
        }
        bt.Add(name, f);
    }
}
