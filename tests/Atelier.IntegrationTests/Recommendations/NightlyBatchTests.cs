using Atelier.IntegrationTests.Api;
using Atelier.IntegrationTests.Infrastructure;
using Atelier.Services.Models;
using Atelier.Services.Recommendations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Atelier.IntegrationTests.Recommendations;

public sealed class NightlyBatchTests(PostgresFixture pg)
{
    [Theory]
    [InlineData("2026-12-02T01:00:00Z", "03:00", "2026-12-02T03:00:00Z")]
    [InlineData("2026-12-02T03:00:00Z", "03:00", "2026-12-03T03:00:00Z")] // exactly at the time: the next day
    [InlineData("2026-12-02T23:59:00+00:00", "00:30", "2026-12-03T00:30:00Z")]
    [InlineData("2026-12-02T02:00:00+02:00", "03:00", "2026-12-02T03:00:00Z")] // 00:00 UTC
    public void NextRunIsTheNextOccurrenceInUtc(string now, string at, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            Atelier.Services.Hosting.DailyJob.NextRun(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), TimeOnly.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public async Task OneRunWritesTopTwelveForEveryCustomerWithHistoryAndSkipsWithoutAModel()
    {
        var ct = TestContext.Current.CancellationToken;
        var config = new ConfigurationBuilder().AddInMemoryCollection([new("Atelier:Recs:NightlyRetrain", "false")]).Build();
        var service = new RecommendationService(pg.DataSource);
        var batch = new NightlyRecsBatch(pg.DataSource, service, new ModelRegistry(pg.DataSource), config, TimeProvider.System,
            NullLogger<NightlyRecsBatch>.Instance);
        Assert.Null(await batch.RunOnceAsync(ct)); // nothing served yet: nothing written

        var store = new StoreBuilder(pg.DataSource);
        var category = await store.CategoryAsync();
        var type = await store.ProductTypeAsync();
        var articles = await store.ProductArticlesAsync(20, category, type, "Top", 20m, stock: 30);
        var customers = new long[10];
        for (var c = 0; c < customers.Length; c++)
        {
            customers[c] = await store.CustomerAsync();
            await store.HistoricalOrderAsync(customers[c], DateTime.UtcNow.AddDays(-c - 1), (articles[c], 1, 20m), (articles[c + 5], 1, 20m));
        }
        var engine = RecsEngine.Train(await RecsSnapshot.LoadAsync(pg.DataSource, ct));
        service.Swap(engine, 4242);

        var run = await batch.RunOnceAsync(ct);
        Assert.NotNull(run);
        Assert.Null(run.Retrained);
        Assert.Null(run.Drift); // a version the registry does not hold has nothing to be compared with
        Assert.Equal(4242, run.Version);
        var stored = await store.ScalarAsync<long>(
            "SELECT count(*) FROM recommendation_batch WHERE customer_id = ANY(@c) AND model_version = 4242", ("c", customers));
        Assert.Equal(customers.Length * NightlyRecsBatch.TopN, stored);
        Assert.Equal(0L, await store.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT customer_id, rank FROM recommendation_batch GROUP BY 1, 2 HAVING count(*) > 1) d"));
    }

    [Fact]
    public async Task ANightlyRunRetrainsThroughTheGateAndWritesTheBatchFromTheVersionItServes()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new StoreBuilder(pg.DataSource);
        var category = await store.CategoryAsync();
        var type = await store.ProductTypeAsync($"Tee{store.Tag}");
        // 16 articles, all sold (so every customer has at least 12 candidates even in an otherwise empty database).
        var articles = await store.ProductArticlesAsync(16, category, type, "Tee", 15m, stock: 30);
        var customers = new long[8];
        for (var c = 0; c < customers.Length; c++)
        {
            customers[c] = await store.CustomerAsync();
            await store.HistoricalOrderAsync(customers[c], DateTime.UtcNow.AddDays(-c - 2), (articles[c], 1, 15m), (articles[c + 8], 1, 15m));
        }
        var registry = new ModelRegistry(pg.DataSource);
        var service = new RecommendationService(pg.DataSource);
        service.Swap(RecsEngine.Train(await RecsSnapshot.LoadAsync(pg.DataSource, ct)), 777_000);

        var batch = new NightlyRecsBatch(pg.DataSource, service, registry, new ConfigurationBuilder().Build(), TimeProvider.System,
            NullLogger<NightlyRecsBatch>.Instance);
        var run = await batch.RunOnceAsync(ct);

        Assert.NotNull(run);
        var retrained = Assert.IsType<RecsTrainingResult>(run.Retrained);
        // Registered with its metrics (other tests may register versions concurrently: look this one up).
        var registered = Assert.Single(await registry.ListAsync(RecommendationService.ModelName, ct), v => v.Version == retrained.Version);
        Assert.True(registered.Metrics.ContainsKey("map_at_12"));
        Assert.Equal(retrained.Promoted, registered.Stage is "production" or "archived");
        Assert.False(string.IsNullOrWhiteSpace(retrained.Reason));
        // Promoted: served at once and the batch comes from it; kept out by the gate: the batch comes from the served engine.
        Assert.Equal(retrained.Promoted ? retrained.Version : 777_000, run.Version);
        Assert.Equal(run.Version, service.Version);
        Assert.Equal(customers.Length * NightlyRecsBatch.TopN, await store.ScalarAsync<long>(
            "SELECT count(*) FROM recommendation_batch WHERE customer_id = ANY(@c) AND model_version = @v", ("c", customers), ("v", run.Version)));
    }
}
