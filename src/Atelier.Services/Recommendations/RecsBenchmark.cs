using System.Text.Json.Serialization;
using System.Diagnostics;
using Atelier.Ml.Recommenders;
using Atelier.Ml.Recommenders.Hybrid;

namespace Atelier.Services.Recommendations;

public sealed record RecsDatasetBench(
    string Dataset, int Users, int Items, int NonZeros,
    [property: JsonPropertyName("als_seconds_per_iteration_64")] double AlsSecondsPerIteration64,
    [property: JsonPropertyName("als_seconds_per_iteration_128")] double AlsSecondsPerIteration128,
    double RankerTrainingSeconds, int RankerTrainingRows,
    [property: JsonPropertyName("batch_top_12_users_per_second")] double BatchTop12UsersPerSecond,
    [property: JsonPropertyName("hybrid_top_12_users_per_second")] double HybridTop12UsersPerSecond);

/// <summary>Throughput of the recommenders on the real training matrices (ALS iterations, ranker training, batch top-12).</summary>
public static class RecsBenchmark
{
    public static RecsDatasetBench Run(RecsDataset data, Func<IRanker>? rankerFactory = null, Func<IRanker>? coldRankerFactory = null,
        int iterations = 3)
    {
        var train = data.Train;
        var ui = train.ToMatrix(_ => 1f);
        var iu = ui.Transpose();
        double Als(int factors)
        {
            var als = new AlsRecommender(new AlsOptions(Factors: factors));
            als.Initialise(ui.Rows, ui.Cols);
            als.Iterate(ui, iu); // warm-up (JIT)
            var sw = Stopwatch.StartNew();
            for (int k = 0; k < iterations; k++) als.Iterate(ui, iu);
            return sw.Elapsed.TotalSeconds / iterations;
        }
        double als64 = Als(64), als128 = Als(128);

        var model = new AlsRecommender(new AlsOptions(Factors: 64, Iterations: 5));
        model.Fit(ui);
        // Throughput on (at most) the first 10,000 users with history.
        var users = Enumerable.Range(0, ui.Rows).Where(u => ui.RowLength(u) > 0).Take(10_000).ToArray();
        var sw = Stopwatch.StartNew();
        model.Recommend(users, ui, 12);
        double alsUps = users.Length / sw.Elapsed.TotalSeconds;

        var hybrid = new HybridRecommender(data.HybridOptions, rankerFactory, coldRankerFactory);
        hybrid.Fit(data.Log, data.Catalog, data.TestStartDay);
        sw.Restart();
        hybrid.Recommend(users, 12);
        double hybridUps = users.Length / sw.Elapsed.TotalSeconds;
        return new RecsDatasetBench(data.Name, ui.Rows, ui.Cols, ui.NonZeros, Math.Round(als64, 4), Math.Round(als128, 4),
            Math.Round(hybrid.RankerTrainingSeconds, 3), hybrid.RankerTrainingRows, Math.Round(alsUps), Math.Round(hybridUps));
    }
}
