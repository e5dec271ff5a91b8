using Atelier.Ml.Evaluation;
using Atelier.Ml.Recommenders.Hybrid;
using Atelier.Services.Models;
using Npgsql;

namespace Atelier.Services.Recommendations;

/// <param name="Engine">The engine the version's artifact holds, as fitted (a caller that serves it needs no reload).</param>
public sealed record RecsTrainingResult(int Version, bool Promoted, string Reason, IReadOnlyDictionary<string, double> Metrics,
    RecsEngine Engine);

/// <summary>
/// Trains the recommender from the database: a hold-out evaluation (the last 7 days as test, everything before as
/// training) gives the gate metric, the engine fitted on all data becomes the new version, and the registry promotes it
/// only if its MAP@12 is within 5% of production's and not below the same hold-out's best-seller list (a version that
/// loses to "show everyone the best sellers" is broken, even when there is no production version to compare with).
/// </summary>
public sealed class RecsTrainer(NpgsqlDataSource db, ModelRegistry registry)
{
    public static readonly PromotionGate Gate = new("map_at_12", HigherIsBetter: true, Tolerance: 0.05, Floor: "popularity_map_at_12");
    public const int HoldoutDays = 7;

    public async Task<RecsTrainingResult> TrainAsync(bool promote, bool force, CancellationToken ct)
    {
        var snapshot = await RecsSnapshot.LoadAsync(db, ct);
        if (snapshot.Log.Count == 0) throw new InvalidOperationException("there are no purchases to learn from yet");
        var run = await registry.StartRunAsync(RecommendationService.ModelName,
            new { holdout_days = HoldoutDays, users = snapshot.CustomerIds.Length, items = snapshot.ArticleIds.Length, purchases = snapshot.Log.Count },
            $"as of {RecsSnapshot.Epoch.AddDays(snapshot.AsOfDay):yyyy-MM-dd}: {snapshot.Log.Count:N0} purchases by {snapshot.CustomerIds.Length:N0} customers",
            ct);
        try
        {
            var metrics = Evaluate(snapshot);
            // The version's artifact is the engine fitted on all data (sources, rankers, outfit model): servers load
            // it as is, without refitting.
            var engine = RecsEngine.Train(snapshot);
            var version = await RecsArtifact.RegisterAsync(registry, engine, metrics, run, ct);
            await registry.FinishRunAsync(run, metrics, null, ct);
            if (!promote) return new RecsTrainingResult(version, false, "not promoted (--no-promote)", metrics, engine);
            var p = await registry.PromoteAsync(RecommendationService.ModelName, version, Gate, force, ct);
            return new RecsTrainingResult(version, p.Promoted, p.Reason, metrics, engine);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await registry.FinishRunAsync(run, new Dictionary<string, double>(), ex.Message, CancellationToken.None);
            throw;
        }
    }

    /// <summary>MAP@12 / recall@12 of the hybrid trained before the hold-out window, on the purchases inside it, and
    /// MAP@12 of the hybrid's own best-seller list (the same twelve articles for everyone) on the same purchases.</summary>
    public static Dictionary<string, double> Evaluate(RecsSnapshot snapshot)
    {
        var cutoff = snapshot.AsOfDay + 1 - HoldoutDays;
        var train = new RecsSnapshot
        {
            CustomerIds = snapshot.CustomerIds, ArticleIds = snapshot.ArticleIds, ArticleCodes = snapshot.ArticleCodes,
            ProductIds = snapshot.ProductIds, ProductNames = snapshot.ProductNames, TypeNames = snapshot.TypeNames,
            CategoryIds = snapshot.CategoryIds, Prices = snapshot.Prices, Catalog = snapshot.Catalog,
            Log = snapshot.Log.Window(int.MinValue, cutoff), AsOfDay = cutoff - 1, CustomerSegments = snapshot.CustomerSegments,
        };
        var test = snapshot.Log.Window(cutoff, int.MaxValue).ItemSetsByUser();
        var users = Enumerable.Range(0, test.Length).Where(u => test[u] is not null).ToArray();
        if (users.Length == 0)
            return new Dictionary<string, double> { ["map_at_12"] = 0, ["popularity_map_at_12"] = 0, ["test_customers"] = 0 };
        var engine = RecsEngine.Train(train);
        var recs = engine.Hybrid.Recommend(users, 12, new HybridRules { MaxPerProduct = 0 });
        var bestSellers = engine.Hybrid.Model!.Popularity.RankedItems[..Math.Min(12, engine.Hybrid.Model.Popularity.RankedItems.Length)].ToArray();
        double map = 0, recall = 0, popularity = 0;
        for (var t = 0; t < users.Length; t++)
        {
            var predicted = recs[t].Select(e => e.Item).ToArray();
            map += RankingMetrics.AveragePrecision(predicted, test[users[t]], 12);
            recall += RankingMetrics.Recall(predicted, test[users[t]], 12);
            popularity += RankingMetrics.AveragePrecision(bestSellers, test[users[t]], 12);
        }
        return new Dictionary<string, double>
        {
            ["map_at_12"] = map / users.Length,
            ["recall_at_12"] = recall / users.Length,
            ["popularity_map_at_12"] = popularity / users.Length,
            ["test_customers"] = users.Length,
        };
    }
}
