using Atelier.IntegrationTests.Api;
using Atelier.IntegrationTests.Infrastructure;
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
            NightlyRecsBatch.NextRun(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), TimeOnly.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public async Task OneRunWritesTopTwelveForEveryCustomerWithHistoryAndSkipsWithoutAModel()
    {
        var ct = TestContext.Current.CancellationToken;
        var config = new ConfigurationBuilder().Build();
        var service = new RecommendationService(pg.DataSource);
        var batch = new NightlyRecsBatch(pg.DataSource, service, config, TimeProvider.System, NullLogger<NightlyRecsBatch>.Instance);
        Assert.Null(await batch.RunOnceAsync(ct)); // nothing served yet: nothing written

        var store = new StoreBuilder(pg.DataSource);
        var category = await store.CategoryAsync();
        var type = await store.ProductTypeAsync();
        var articles = new long[20];
        for (var i = 0; i < articles.Length; i++) articles[i] = await store.ArticleAsync(await store.ProductAsync(category, type, $"Top {i}"), 20m, stock: 30);
        var customers = new long[10];
        for (var c = 0; c < customers.Length; c++)
        {
            customers[c] = await store.CustomerAsync();
            await store.HistoricalOrderAsync(customers[c], DateTime.UtcNow.AddDays(-c - 1), (articles[c], 1, 20m), (articles[c + 5], 1, 20m));
        }
        var engine = RecsEngine.Train(await RecsSnapshot.LoadAsync(pg.DataSource, ct));
        service.Swap(engine, 4242);

        var rows = await batch.RunOnceAsync(ct);
        Assert.NotNull(rows);
        var stored = await store.ScalarAsync<long>(
            "SELECT count(*) FROM recommendation_batch WHERE customer_id = ANY(@c) AND model_version = 4242", ("c", customers));
        Assert.Equal(customers.Length * NightlyRecsBatch.TopN, stored);
        Assert.Equal(0L, await store.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT customer_id, rank FROM recommendation_batch GROUP BY 1, 2 HAVING count(*) > 1) d"));
    }
}
