using Atelier.Data.Migrations;
using Atelier.IntegrationTests.Infrastructure;
using Atelier.Services.Models;
using Atelier.Services.Recommendations;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Atelier.IntegrationTests.Recommendations;

/// <summary>
/// Drift of the served recommender in a store of its own (every measure reads the whole store): a version trained on
/// customers who re-buy their tee every few days, then the same habits after training (no drift), then a new coat range
/// nobody had bought when the model was trained (drift: new articles, new product-type mix, personal lists miss).
/// </summary>
public sealed class RecsDriftTests(PostgresFixture pg)
{
    [Fact]
    public async Task ANewRangeAfterTrainingIsDriftTheSameHabitsAreNot()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var ds = NpgsqlDataSource.Create(await pg.CreateEmptyDatabaseAsync());
        await MigrationRunner.MigrateAsync(ds, ct);
        var store = new StoreBuilder(ds);
        var category = await store.CategoryAsync();
        var tees = await store.ProductArticlesAsync(10, category, await store.ProductTypeAsync("Tee"), "Tee", 20m, stock: 500);
        var customers = new List<long>();
        for (var c = 0; c < 40; c++) customers.Add(await store.CustomerAsync());
        var now = DateTime.UtcNow;
        for (var c = 0; c < customers.Count; c++)
            for (var d = 27; d >= 4; d -= 3)
                await store.HistoricalOrderAsync(customers[c], now.AddDays(-d).AddHours(-c % 5), (tees[c % 10], 1, 20m));

        var registry = new ModelRegistry(ds);
        var trained = await new RecsTrainer(ds, registry).TrainAsync(promote: true, force: true, ct);
        var service = new RecommendationService(ds);
        service.Swap(trained.Engine, trained.Version);
        // As if the version had been trained 3 days ago: everything after that is "since".
        await store.ExecAsync("UPDATE model_version SET created_at = now() - interval '3 days' WHERE version = @v", ("v", trained.Version));
        var drift = new RecsDrift(ds, registry, service, TimeProvider.System);

        var quiet = (await drift.CurrentAsync(refresh: true, ct))!;
        Assert.Equal(trained.Version, quiet.Version);
        Assert.Equal("not_enough_data", quiet.Status);
        Assert.Equal(0, quiet.PurchasesSince);
        Assert.InRange(quiet.DaysSinceTraining, 2.9, 3.1);
        // Retraining "on-drift": the nightly run checks, finds nothing, keeps the version.
        var onDrift = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Atelier:Recs:NightlyRetrain", "on-drift")]).Build();
        var nightly = new NightlyRecsBatch(ds, service, registry, onDrift, TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<NightlyRecsBatch>.Instance, drift);
        var calm = (await nightly.RunOnceAsync(ct))!;
        Assert.Equal("not_enough_data", calm.Drift!.Status);
        Assert.Null(calm.Retrained);

        // The same habits since: each customer re-buys their tee.
        for (var c = 0; c < customers.Count; c++)
            await store.HistoricalOrderAsync(customers[c], now.AddDays(-1).AddHours(-c % 5), (tees[c % 10], 1, 20m));
        var steady = (await drift.CurrentAsync(refresh: true, ct))!;
        Assert.Equal("ok", steady.Status);
        Assert.Empty(steady.Findings);
        Assert.Equal(40, steady.CustomersSince);
        Assert.Equal(0, steady.Measure("unknown_article_share"));
        Assert.True(steady.Measure("product_type_psi") < 0.01, $"{steady.Measure("product_type_psi")}");
        Assert.True(steady.Measure("live_map_at_12") > 0.5, $"{steady.Measure("live_map_at_12")}"); // their own tee, near the top
        Assert.Same(steady, await drift.CurrentAsync(refresh: false, ct)); // kept for a while per version

        // A coat range launched after training, at another price: the model has never seen it.
        var coats = await store.ProductArticlesAsync(5, category, await store.ProductTypeAsync("Coat"), "Coat", 120m, stock: 500);
        for (var c = 0; c < customers.Count; c++)
            for (var k = 0; k < 3; k++)
                await store.HistoricalOrderAsync(customers[c], now.AddHours(-2 - k), (coats[(c + k) % 5], 1, 120m));
        var drifting = (await drift.RecordAsync(ct))!;
        Assert.Equal(2, (await registry.RunsAsync(RecsDrift.RunName, 5, ct)).Count); // the nightly check and this one
        Assert.Equal("drifting", drifting.Status);
        Assert.True(drifting.Measure("unknown_article_share") > 0.7, $"{drifting.Measure("unknown_article_share")}"); // 3 coats to 1 tee
        Assert.True(drifting.Measure("product_type_psi") > RecsDrift.PsiThreshold);
        Assert.True(drifting.Measure("price_psi") > RecsDrift.PsiThreshold);
        Assert.True(drifting.Measure("live_map_at_12") < steady.Measure("live_map_at_12"));
        Assert.Contains(drifting.Findings, f => f.Contains("never seen"));
        Assert.Contains(drifting.Findings, f => f.Contains("product-type mix"));

        // Recorded as a tracked run: the measures as metrics, the verdict in the note.
        var run = (await registry.RunsAsync(RecsDrift.RunName, 5, ct))[0];
        Assert.Equal("succeeded", run.Status);
        Assert.Equal(1, run.Metrics["drifting"]);
        Assert.Equal(drifting.Measure("product_type_psi")!.Value, run.Metrics["product_type_psi"], 9);
        Assert.StartsWith($"v{trained.Version} drifting: ", run.DataNote);

        // Now the nightly run retrains: the new version knows the coats.
        var retrainedRun = (await nightly.RunOnceAsync(ct))!;
        Assert.Equal("drifting", retrainedRun.Drift!.Status);
        var retrained = Assert.IsType<RecsTrainingResult>(retrainedRun.Retrained);
        Assert.True(retrained.Engine.Snapshot.ItemIndex(coats[0]) >= 0);
    }

    [Theory]
    [InlineData(null, "ok", true)]
    [InlineData("false", "drifting", false)]
    [InlineData("on-drift", "ok", false)]
    [InlineData("On-Drift", "drifting", true)]
    public void TheRetrainingPolicyReadsTheSetting(string? setting, string status, bool retrains)
    {
        var drift = new RecsDriftDto(1, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 0, 0, 0, 0, status, [], []);
        Assert.Equal(retrains, NightlyRecsBatch.ShouldRetrain(setting, drift));
        Assert.Throws<InvalidOperationException>(() => NightlyRecsBatch.ShouldRetrain("sometimes", drift));
    }

    [Fact]
    public void PsiMatchesTheFormulaAndIsZeroForTheSameMix()
    {
        var p = new Dictionary<int, double> { [1] = 50, [2] = 30, [3] = 20 };   // counts
        var q = new Dictionary<int, double> { [1] = 4, [2] = 6, [4] = 10 };
        // Σ (q − p) ln(q / p) over bins 1..4, every count + 0.5: totals 102 and 22.
        double[] ps = [50.5 / 102, 30.5 / 102, 20.5 / 102, 0.5 / 102], qs = [4.5 / 22, 6.5 / 22, 0.5 / 22, 10.5 / 22];
        double expected = Enumerable.Range(0, 4).Sum(k => (qs[k] - ps[k]) * Math.Log(qs[k] / ps[k]));
        Assert.Equal(expected, RecsDrift.Psi(p, q), 12);
        Assert.Equal(0, RecsDrift.Psi(p, p), 12);
        Assert.Equal(RecsDrift.Psi(p, q), RecsDrift.Psi(q, p), 12); // symmetric
    }

    [Fact]
    public void SmallSamplesOfAnUnchangedMixDoNotCountAsDrift()
    {
        // 60 equally likely product types; 444 units before and 142 since, drawn from the same mix: PSI is well above the
        // usual 0.25 by sampling alone, but within the limit for these sample sizes, in nearly every draw.
        var rng = new Random(11);
        Dictionary<int, double> Draw(int n)
        {
            var counts = new Dictionary<int, double>();
            for (var i = 0; i < n; i++) { var k = rng.Next(60); counts[k] = counts.GetValueOrDefault(k) + 1; }
            return counts;
        }
        int above025 = 0, alarms = 0;
        for (var t = 0; t < 200; t++)
        {
            var (before, since) = (Draw(444), Draw(142));
            double psi = RecsDrift.Psi(before, since);
            above025 += psi > RecsDrift.PsiThreshold ? 1 : 0;
            alarms += psi > RecsDrift.PsiLimit(before.Keys.Union(since.Keys).Count(), 142, 444) ? 1 : 0;
        }
        Assert.True(above025 > 190, $"{above025}");
        Assert.True(alarms <= 6, $"{alarms} false alarms in 200"); // ≈ 1% by construction
        // Large samples keep the usual threshold; a real shift of the mix still exceeds the small-sample limit.
        Assert.Equal(RecsDrift.PsiThreshold, RecsDrift.PsiLimit(60, 100_000, 400_000));
        var half = Enumerable.Range(0, 30).ToDictionary(k => k, _ => 444 / 30.0);
        var otherHalf = Enumerable.Range(30, 30).ToDictionary(k => k, _ => 142 / 30.0);
        Assert.True(RecsDrift.Psi(half, otherHalf) > RecsDrift.PsiLimit(60, 142, 444));
    }
}
