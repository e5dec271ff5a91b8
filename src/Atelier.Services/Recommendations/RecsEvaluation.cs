using System.Text.Json.Serialization;
using System.Diagnostics;
using Atelier.Ml.Evaluation;
using Atelier.Ml.Recommenders;
using Atelier.Ml.Recommenders.Hybrid;

namespace Atelier.Services.Recommendations;

public sealed record ModelScore(
    string Name,
    [property: JsonPropertyName("map_at_12")] double MapAt12,
    [property: JsonPropertyName("precision_at_12")] double PrecisionAt12,
    [property: JsonPropertyName("recall_at_12")] double RecallAt12,
    [property: JsonPropertyName("ndcg_at_12")] double NdcgAt12,
    double Coverage);

public sealed record RecsEvaluationResult(
    string Dataset, int TestCustomers, int TestCustomersWithHistory, int TrainInteractions, int Items,
    IReadOnlyList<ModelScore> Models, IReadOnlyList<ModelScore> ModelsWithHistory, double Seconds, double RankerTrainingSeconds,
    int RankerTrainingRows, string Ranker)
{
    /// <summary>Gain importance of the warm-user tree ranker per feature (empty for other rankers); not part of the JSON.</summary>
    [JsonIgnore] public IReadOnlyList<KeyValuePair<string, float>> FeatureImportance { get; init; } = [];

    /// <summary>Share of the test purchases of customers with history that the hybrid's candidates contain, overall
    /// and per source, and the MAP@12 a perfect ordering of the candidates would reach; not part of the JSON.</summary>
    [JsonIgnore] public IReadOnlyList<KeyValuePair<string, double>> CandidateRecall { get; init; } = [];

    /// <summary>MAP@12 of popularity, per-segment popularity and the hybrid among the test customers whose segment is
    /// known (all / without history); empty when the data has no segments. Not part of the JSON.</summary>
    [JsonIgnore] public string SegmentReport { get; init; } = "";

    /// <summary>The hybrid with its warm-user ranker retrained under other tree seeds (null unless asked for).</summary>
    public HybridSeedStudy? SeedStudy { get; init; }

    /// <summary>The hybrid's MAP@12 over the best single source's, with a bootstrap interval over the test customers.</summary>
    public SingleSourceGain? GainOverBestSingleSource { get; init; }
}

/// <summary>
/// The hybrid (default seed) against the best single source on the same test customers: relative MAP@12 gain and its
/// 90% paired percentile-bootstrap interval over customers (the customers' sampling noise; the ranker's seed noise is
/// the seed study's).
/// </summary>
public sealed record SingleSourceGain(string BestSingleSource, double Gain, double Lower, double Upper, double Level, int Resamples);

/// <summary>One warm-user ranker seed: the hybrid's MAP@12 over all test customers and over those with history.</summary>
public sealed record HybridSeedRun(
    int? Seed,
    [property: JsonPropertyName("map_at_12")] double MapAt12,
    [property: JsonPropertyName("map_at_12_with_history")] double MapAt12WithHistory);

/// <summary>
/// How much of the hybrid's result is its ranker's randomness: the same candidates and features, the warm-user ranker
/// retrained with other row/feature sampling seeds (seed null = the default). The mean is the figure to compare.
/// </summary>
public sealed record HybridSeedStudy(
    IReadOnlyList<HybridSeedRun> Runs,
    [property: JsonPropertyName("mean_map_at_12")] double MeanMapAt12,
    [property: JsonPropertyName("sd_map_at_12")] double SdMapAt12,
    [property: JsonPropertyName("mean_map_at_12_with_history")] double MeanMapAt12WithHistory,
    string BestSingleSource,
    [property: JsonPropertyName("best_single_source_map_at_12")] double BestSingleSourceMapAt12,
    double MeanGainOverBestSingleSource);

/// <summary>
/// Time-split evaluation of every recommender on a dataset: MAP@12 etc. over all test customers (personalised sources
/// filled from popularity to 12 items) and over the test customers who have training history.
/// </summary>
public static class RecsEvaluation
{
    public const int K = 12;

    /// <summary>The single sources the hybrid must beat (issue 5): the best of them is the baseline.</summary>
    public static readonly string[] SingleSources = ["trending", "repurchase", "item_knn", "als"];

    /// <param name="seedRankers">Warm-user rankers under other seeds for a seed study (<see cref="HybridSeedStudy"/>); the
    /// default ranker is always its first run.</param>
    public static RecsEvaluationResult Run(RecsDataset data, Func<IRanker>? rankerFactory = null, Action<string>? progress = null,
        Func<IRanker>? coldRankerFactory = null, IReadOnlyList<(int Seed, Func<IRanker> Factory)>? seedRankers = null)
    {
        var sw = Stopwatch.StartNew();
        var test = data.Test.ItemSetsByUser();
        var testUsers = Enumerable.Range(0, test.Length).Where(u => test[u] is not null).ToArray();
        var actual = testUsers.Select(u => (IReadOnlySet<int>)test[u]).ToArray();
        var train = data.Train;
        int catalogue = train.Items.Distinct().Count();

        progress?.Invoke("fitting hybrid (sources + ranker)");
        var hybrid = new HybridRecommender(data.HybridOptions, rankerFactory, coldRankerFactory);
        hybrid.Fit(data.Log, data.Catalog, data.TestStartDay, data.UserSegments, keepTrainingSet: seedRankers is { Count: > 0 });
        var m = hybrid.Model!;
        var warm = testUsers.Select(m.HasHistory).ToArray();

        progress?.Invoke("content model");
        var content = new ContentRecommender(data.ItemTexts);
        content.Fit(m.Counts);

        progress?.Invoke("scoring");
        var pop = m.Popularity.Recommend(testUsers, m.Counts, K, filterAlreadyLiked: false);
        var predictions = new Dictionary<string, int[]>
        {
            ["hybrid"] = Flatten(hybrid.Recommend(testUsers, K)),
            ["repurchase"] = Fill(m.Repurchase.Recommend(testUsers, m.Recency, K, false), pop),
            ["item_knn"] = Fill(m.Knn.Recommend(testUsers, m.Recency, K, false), pop),
            ["als"] = Fill(WarmOnly(m.Als, testUsers, warm, m.Counts, false), pop),
            ["content"] = Fill(WarmOnly(content, testUsers, warm, m.Recency, true), pop),
            ["trending"] = m.Trending.Recommend(testUsers, m.Counts, K, false).Items,
            ["popularity"] = pop.Items,
            // The hybrid's own segment source: per-segment popularity on the same decayed window as popularity.
            ["popularity_by_segment"] = m.SegmentPopularity?.Recommend(testUsers, m.Counts, K, filterAlreadyLiked: false).Items ?? pop.Items,
            ["blend"] = Fill(FillInto(FillInto(m.Repurchase.Recommend(testUsers, m.Recency, K, false),
                m.Knn.Recommend(testUsers, m.Recency, K, true)), m.Trending.Recommend(testUsers, m.Counts, K, false)), pop),
        };

        var all = new List<ModelScore>();
        var withHistory = new List<ModelScore>();
        var warmRows = Enumerable.Range(0, testUsers.Length).Where(r => warm[r]).ToArray();
        var warmActual = warmRows.Select(r => actual[r]).ToArray();
        foreach (var (name, pred) in predictions)
        {
            all.Add(Score(name, RankingMetrics.Evaluate(pred, K, actual, catalogue)));
            withHistory.Add(Score(name, RankingMetrics.Evaluate(Subset(pred, warmRows), K, warmActual, catalogue)));
        }
        var best = all.Where(s => SingleSources.Contains(s.Name)).MaxBy(s => s.MapAt12)!;
        HybridSeedStudy? seedStudy = null;
        if (seedRankers is { Count: > 0 })
        {
            // The default run is the hybrid already scored above; each other seed retrains only the warm-user ranker.
            var runs = new List<HybridSeedRun>
            {
                new(null, all.Single(s => s.Name == "hybrid").MapAt12, withHistory.Single(s => s.Name == "hybrid").MapAt12),
            };
            foreach (var (seed, factory) in seedRankers)
            {
                progress?.Invoke($"seed study: warm ranker with seed {seed}");
                var pred = Flatten(hybrid.WithWarmRanker(factory).Recommend(testUsers, K));
                runs.Add(new HybridSeedRun(seed, RankingMetrics.Evaluate(pred, K, actual, catalogue).MapAtK,
                    RankingMetrics.Evaluate(Subset(pred, warmRows), K, warmActual, catalogue).MapAtK));
            }
            double mean = runs.Average(r => r.MapAt12);
            double sd = Math.Sqrt(runs.Sum(r => (r.MapAt12 - mean) * (r.MapAt12 - mean)) / (runs.Count - 1));
            seedStudy = new HybridSeedStudy(runs, mean, sd, runs.Average(r => r.MapAt12WithHistory), best.Name, best.MapAt12,
                best.MapAt12 > 0 ? mean / best.MapAt12 - 1 : 0);
        }
        var interval = PairedBootstrap.RelativeGain(AveragePrecisions(predictions["hybrid"], actual), AveragePrecisions(predictions[best.Name], actual));
        var gain = new SingleSourceGain(best.Name, Math.Round(interval.Gain, 5), Math.Round(interval.Lower, 5), Math.Round(interval.Upper, 5),
            interval.Level, interval.Resamples);
        string segmentReport = "";
        if (data.UserSegments is { } seg)
        {
            string Map(string model, int[] rows) =>
                RankingMetrics.Evaluate(Subset(predictions[model], rows), K, rows.Select(r => actual[r]).ToArray(), catalogue).MapAtK.ToString("F5");
            var known = Enumerable.Range(0, testUsers.Length).Where(r => testUsers[r] < seg.Length && seg[testUsers[r]] >= 0).ToArray();
            var coldKnown = known.Where(r => !warm[r]).ToArray();
            segmentReport = $"{known.Length} test customers with a known {data.SegmentKind} ({coldKnown.Length} without history): " +
                string.Join(", ", new[] { "popularity", "popularity_by_segment", "hybrid" }.Select(n =>
                    $"{n} {Map(n, known)} / {(coldKnown.Length > 0 ? Map(n, coldKnown) : "-")}"));
        }
        return new RecsEvaluationResult(data.Name, testUsers.Length, warmRows.Length, train.Count, catalogue, all, withHistory,
            sw.Elapsed.TotalSeconds, hybrid.RankerTrainingSeconds, hybrid.RankerTrainingRows, hybrid.RankerName)
        {
            FeatureImportance = Importance(hybrid.WarmRanker),
            CandidateRecall = Recall(m, testUsers.Where((_, r) => warm[r]).ToArray(), test),
            SegmentReport = segmentReport,
            SeedStudy = seedStudy,
            GainOverBestSingleSource = gain,
        };
    }

    private static double[] AveragePrecisions(int[] predictions, IReadOnlySet<int>[] actual)
    {
        var ap = new double[actual.Length];
        for (int r = 0; r < ap.Length; r++) ap[r] = RankingMetrics.AveragePrecision(predictions.AsSpan(r * K, K), actual[r], K);
        return ap;
    }

    private static int[] Subset(int[] predictions, int[] rows)
    {
        var sub = new int[rows.Length * K];
        for (int r = 0; r < rows.Length; r++) predictions.AsSpan(rows[r] * K, K).CopyTo(sub.AsSpan(r * K, K));
        return sub;
    }

    private static KeyValuePair<string, double>[] Recall(HybridModel m, int[] users, HashSet<int>[] test)
    {
        var cands = HybridFeatures.Build(m, users);
        int positives = 0, found = 0;
        var bySource = new int[HybridModel.Sources];
        double oracle = 0;
        for (int t = 0; t < users.Length; t++)
        {
            var actual = test[users[t]];
            var c = cands[t];
            int hits = 0;
            for (int r = 0; r < c.Items.Length; r++)
            {
                if (!actual.Contains(c.Items[r])) continue;
                hits++;
                for (int s = 0; s < HybridModel.Sources; s++)
                    if (c.Features[r * HybridFeatures.Count + HybridFeatures.ReciprocalRankColumn((CandidateSource)s)] > 0) bySource[s]++;
            }
            positives += actual.Count;
            found += hits;
            oracle += Math.Min(hits, K) / (double)Math.Min(actual.Count, K);
        }
        var result = new List<KeyValuePair<string, double>>
        {
            new("all_sources", found / (double)Math.Max(1, positives)),
            new("oracle_map_at_12", oracle / Math.Max(1, users.Length)),
        };
        for (int s = 0; s < HybridModel.Sources; s++)
            result.Add(new(((CandidateSource)s).ToString(), bySource[s] / (double)Math.Max(1, positives)));
        return result.ToArray();
    }

    private static KeyValuePair<string, float>[] Importance(IRanker? ranker)
    {
        if (ranker is EnsembleRanker e) ranker = e.Members.FirstOrDefault(m => m is GbdtRanker);
        if (ranker is not GbdtRanker g) return [];
        var gain = g.FeatureImportanceGain();
        float total = gain.Sum();
        return gain.Select((v, f) => KeyValuePair.Create(HybridFeatures.Names[f], total > 0 ? v / total : 0f))
            .OrderByDescending(p => p.Value).ToArray();
    }

    private static ModelScore Score(string name, RankingReport r) =>
        new(name, Math.Round(r.MapAtK, 5), Math.Round(r.PrecisionAtK, 5), Math.Round(r.RecallAtK, 5), Math.Round(r.NdcgAtK, 5),
            Math.Round(r.Coverage, 5));

    private static int[] Flatten(ExplainedItem[][] recs)
    {
        var flat = new int[recs.Length * K];
        Array.Fill(flat, -1);
        for (int r = 0; r < recs.Length; r++)
            for (int k = 0; k < Math.Min(K, recs[r].Length); k++) flat[r * K + k] = recs[r][k].Item;
        return flat;
    }

    /// <summary>Dense-scoring models only run for users with history (the rest stay empty for the fallback).</summary>
    private static RecommendationBatch WarmOnly(IRecommender model, int[] users, bool[] warm, Atelier.Ml.Sparse.CsrMatrix userItems,
        bool filterAlreadyLiked)
    {
        var rows = Enumerable.Range(0, users.Length).Where(r => warm[r]).ToArray();
        var sub = model.Recommend(rows.Select(r => users[r]).ToArray(), userItems, K, filterAlreadyLiked);
        var full = new RecommendationBatch(users.Length, K);
        for (int t = 0; t < rows.Length; t++)
        {
            sub.ItemsOf(t).CopyTo(full.ItemsOf(rows[t]));
            sub.ScoresOf(t).CopyTo(full.ScoresOf(rows[t]));
        }
        return full;
    }

    /// <summary>Appends the fallback's items (skipping duplicates) to fill each row to K.</summary>
    public static RecommendationBatch FillInto(RecommendationBatch primary, RecommendationBatch fallback)
    {
        for (int r = 0; r < primary.Rows; r++)
        {
            var items = primary.ItemsOf(r);
            int c = primary.CountOf(r);
            foreach (int i in fallback.ItemsOf(r))
            {
                if (c >= items.Length) break;
                if (i < 0 || items[..c].Contains(i)) continue;
                items[c++] = i;
            }
        }
        return primary;
    }

    private static int[] Fill(RecommendationBatch primary, RecommendationBatch fallback) => FillInto(primary, fallback).Items;
}
