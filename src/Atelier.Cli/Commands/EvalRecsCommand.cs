using System.CommandLine;
using Atelier.Services.Recommendations;

namespace Atelier.Cli.Commands;

/// <summary><c>atelier eval recs --data hm|online-retail [--json]</c>: time-split MAP@12 of every recommender.</summary>
internal static class EvalRecsCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "hm | online-retail", DefaultValueFactory = _ => "hm" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var ranker = new Option<string>("--ranker") { Description = "Hybrid ranker: gbdt+gbdt-logloss+logistic (default) | gbdt+logistic | gbdt | gbdt-logloss | logistic", DefaultValueFactory = _ => RankerFactory.Default };
        var validate = new Option<bool>("--validate") { Description = "Evaluate on the window just before the test period (for choosing settings)." };
        var seeds = new Option<int>("--seeds")
        {
            Description = "Also retrain the hybrid's warm-user ranker with seeds 1..N-1 and report the mean over N runs (default 1: no seed study).",
            DefaultValueFactory = _ => 1,
        };
        var cmd = new Command("recs", "Recommenders on a real purchase log: MAP@12, precision, recall, NDCG, coverage.");
        cmd.Options.Add(data);
        cmd.Options.Add(json);
        cmd.Options.Add(ranker);
        cmd.Options.Add(validate);
        cmd.Options.Add(seeds);
        cmd.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            string name = pr.GetValue(data)!;
            if (name is not ("hm" or "online-retail")) throw new CliException($"Unknown dataset '{name}': use hm or online-retail.");
            bool asJson = pr.GetValue(json);
            string rankerName = pr.GetValue(ranker)!;
            if (!RankerFactory.Names.Contains(rankerName)) throw new CliException($"Unknown ranker '{rankerName}': use {string.Join(" | ", RankerFactory.Names)}.");
            int seedRuns = pr.GetValue(seeds);
            if (seedRuns is < 1 or > 100) throw new CliException($"--seeds must be between 1 and 100 (got {seedRuns}).");
            Action<string> progress = asJson ? _ => { } : s => Console.Error.WriteLine($"[eval recs] {s}");
            progress("loading " + name);
            var ds = RecsDataset.Load(name);
            if (pr.GetValue(validate)) ds = ds.ValidationSplit();
            var seedRankers = Enumerable.Range(1, seedRuns - 1).Select(s => (s, RankerFactory.For(rankerName, s))).ToList();
            var result = RecsEvaluation.Run(ds, RankerFactory.For(rankerName), progress, RankerFactory.ColdDefault, seedRankers);
            // Gain importance goes to stderr so that the JSON on stdout keeps its format.
            if (result.FeatureImportance.Count > 0)
                Console.Error.WriteLine("[eval recs] ranker gain: " + string.Join(", ",
                    result.FeatureImportance.Select(p => $"{p.Key} {p.Value:F3}")));
            if (result.CandidateRecall.Count > 0)
                Console.Error.WriteLine("[eval recs] candidate recall (customers with history): " + string.Join(", ",
                    result.CandidateRecall.Select(p => $"{p.Key} {p.Value:F4}")));
            if (result.SegmentReport.Length > 0) Console.Error.WriteLine("[eval recs] MAP@12 all / without history among " + result.SegmentReport);
            if (result.SeedStudy is { } study)
                Console.Error.WriteLine($"[eval recs] seed study ({study.Runs.Count} warm-ranker seeds): hybrid MAP@12 " +
                    string.Join(" ", study.Runs.Select(r => r.MapAt12.ToString("F5"))) + $", mean {study.MeanMapAt12:F5} ± {study.SdMapAt12:F5} (sd), " +
                    $"{study.MeanGainOverBestSingleSource:+0.0%;-0.0%} over {study.BestSingleSource} {study.BestSingleSourceMapAt12:F5}; with history mean {study.MeanMapAt12WithHistory:F5}");
            if (result.GainOverBestSingleSource is { } gain)
                Console.Error.WriteLine($"[eval recs] hybrid over {gain.BestSingleSource}: {gain.Gain:+0.0%;-0.0%} " +
                    $"({gain.Level:0%} bootstrap interval over test customers {gain.Lower:+0.0%;-0.0%} … {gain.Upper:+0.0%;-0.0%}, {gain.Resamples} resamples)");
            if (asJson) JsonOutput.Write(result);
            else
            {
                Console.WriteLine($"{result.Dataset}: {result.TestCustomers} test customers ({result.TestCustomersWithHistory} with history), " +
                    $"ranker {result.Ranker} trained on {result.RankerTrainingRows} rows in {result.RankerTrainingSeconds:F1}s, total {result.Seconds:F0}s");
                foreach (var (title, list) in new[] { ("all", result.Models), ("with history", result.ModelsWithHistory) })
                {
                    Console.WriteLine($"-- {title}");
                    foreach (var m in list)
                        Console.WriteLine($"{m.Name,-12} MAP@12 {m.MapAt12:F4}  P@12 {m.PrecisionAt12:F4}  R@12 {m.RecallAt12:F4}  NDCG@12 {m.NdcgAt12:F4}  cov {m.Coverage:F4}");
                }
            }
            return Task.FromResult(0);
        });
        return cmd;
    }
}
