using System.CommandLine;
using System.Text.Json.Serialization;
using Atelier.Services.Forecasting;

namespace Atelier.Cli.Commands;

/// <summary><c>atelier eval forecast --data online-retail|hm</c>: rolling-origin backtest of the forecasting models.</summary>
internal static class EvalForecastCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "online-retail (UCI, default) or hm (H&M weekly product types + total; UCI levels too)", DefaultValueFactory = _ => "online-retail" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var cmd = new Command("forecast", "Backtest forecasting models (MASE, RMSE, WAPE, interval coverage) per hierarchy level.");
        cmd.Options.Add(data);
        cmd.Options.Add(json);
        cmd.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            string which = pr.GetValue(data) ?? "online-retail";
            if (which is not ("online-retail" or "hm")) throw new CliException($"unknown --data '{which}' (use online-retail or hm)");
            bool asJson = pr.GetValue(json);
            var sw = System.Diagnostics.Stopwatch.StartNew();
            Action<string> log = m => Console.Error.WriteLine($"[{sw.Elapsed:mm\\:ss}] {m}");
            var levels = new List<LevelReport>(RetailForecastEvaluation.Run(RetailSeries.Load(), log));
            HmEvaluation? hm = which == "hm" ? HmForecastEvaluation.Run(log) : null;
            if (hm is not null) levels.AddRange(hm.Levels);
            var output = new
            {
                Data = which,
                Levels = levels.Select(l => new
                {
                    l.Level, l.Frequency, l.Series, l.Horizon, l.Origins,
                    Models = l.Models.Select(m => new ModelJson(m.Name, R(m.Mase), R(m.Rmse), R(m.Wape), R(m.Smape),
                        R(m.Coverage80), R(m.Coverage95))),
                    l.AutoChoices,
                }),
                Summary = Summary(levels),
                Trends = hm?.Trends.Select(t => new
                {
                    t.Kind, t.Groups, t.Origins, t.Window, Recall5 = R(t.Recall5), Recall10 = R(t.Recall10),
                    BaselineRecall5 = R(t.BaselineRecall5), BaselineRecall10 = R(t.BaselineRecall10),
                    Weights = t.Weights.Select(R),
                }),
                CurrentTrends = hm?.CurrentTrends,
                HmLastWeekWeight = hm?.LastWeekWeight,
                Seconds = Math.Round(sw.Elapsed.TotalSeconds, 1),
            };
            if (asJson) JsonOutput.Write(output);
            else
                foreach (var l in levels)
                {
                    Console.WriteLine($"{l.Level} ({l.Series} series, h={l.Horizon}, {l.Origins} origins)");
                    foreach (var m in l.Models)
                        Console.WriteLine($"  {m.Name,-16} MASE {m.Mase,7:F3}  RMSE {m.Rmse,10:F1}  WAPE {m.Wape,6:F3}  cov80 {m.Coverage80,5:F2}  cov95 {m.Coverage95,5:F2}");
                }
            if (!asJson && hm is not null)
                foreach (var t in hm.Trends)
                    Console.WriteLine($"trend {t.Kind} ({t.Groups} groups, {t.Origins} origins): recall@5 {t.Recall5:F3} (baseline {t.BaselineRecall5:F3}), recall@10 {t.Recall10:F3} (baseline {t.BaselineRecall10:F3})");
            return Task.FromResult(0);
        });
        return cmd;
    }

    private static double R(double v) => Math.Round(v, 4);

    /// <summary>auto vs seasonal_naive MASE ratio per UCI level and on average; pooled auto 80% coverage.</summary>
    private static object Summary(List<LevelReport> levels)
    {
        var uci = levels.Where(l => l.Level is "daily_total" or "weekly_total" or "weekly_country").ToList();
        var ratios = uci.ToDictionary(l => l.Level, l =>
            R(l.Models.First(m => m.Name == "auto").Mase / l.Models.First(m => m.Name == "seasonal_naive").Mase));
        double pooledCov = uci.Sum(l => l.Models.First(m => m.Name == "auto").Coverage80 * l.Models.First(m => m.Name == "auto").Forecasts * l.Horizon)
            / uci.Sum(l => (double)l.Models.First(m => m.Name == "auto").Forecasts * l.Horizon);
        return new
        {
            Note = "auto/seasonal_naive MASE ratio per UCI level; mean_improvement = 1 - mean ratio",
            AutoOverSeasonalNaiveMase = ratios,
            MeanImprovement = R(1 - ratios.Values.Average()),
            AutoCoverage80Pooled = R(pooledCov),
        };
    }

    private sealed record ModelJson(string Name, double Mase, double Rmse, double Wape, double Smape,
        [property: JsonPropertyName("coverage_80")] double Coverage80,
        [property: JsonPropertyName("coverage_95")] double Coverage95);
}
