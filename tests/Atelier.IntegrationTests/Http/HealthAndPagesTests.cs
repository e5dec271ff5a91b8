using System.Net;
using System.Text.Json;
using Atelier.IntegrationTests.Infrastructure;

namespace Atelier.IntegrationTests.Http;

public sealed class HealthAndPagesTests(PostgresFixture pg) : IDisposable
{
    private readonly AtelierWebFactory _factory = new(pg);

    [Fact]
    public async Task ReadyReportsTheDatabaseAndItsSchemaVersion()
    {
        using var client = _factory.CreateClient();
        var response = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        // Degraded (still 200) while the recommender is missing or loading: the shared database may hold a production version.
        Assert.Contains(doc.RootElement.GetProperty("status").GetString(), new[] { "Healthy", "Degraded" });
        Assert.Contains(doc.RootElement.GetProperty("checks").GetProperty("recommender").GetProperty("status").GetString(), new[] { "Healthy", "Degraded" });
        var db = doc.RootElement.GetProperty("checks").GetProperty("database");
        Assert.Equal("Healthy", db.GetProperty("status").GetString());
        Assert.True(db.GetProperty("data").GetProperty("schema_version").GetInt32() >= 2);
    }

    [Fact]
    public async Task StorefrontPageRendersWithSecurityHeaders()
    {
        var store = new StoreBuilder(pg.DataSource);
        var product = await store.ProductAsync(await store.CategoryAsync(), await store.ProductTypeAsync(), $"Pleated skirt {store.Tag}");
        await store.ArticleAsync(product, 24.99m, stock: 3);
        using var client = _factory.CreateClient();
        var response = await client.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Atelier", html);
    }

    [Fact]
    public async Task TheRecommenderIsDegradedUntilThisServerServesTheProductionVersion()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var ds = Npgsql.NpgsqlDataSource.Create(await pg.CreateEmptyDatabaseAsync());
        await Atelier.Data.Migrations.MigrationRunner.MigrateAsync(ds, ct);
        var registry = new Atelier.Services.Models.ModelRegistry(ds);
        var service = new Atelier.Services.Recommendations.RecommendationService(ds);
        var check = new Atelier.Services.Recommendations.RecommenderHealthCheck(registry, service);
        async Task<(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus, string)> Check()
        {
            var r = await check.CheckHealthAsync(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext(), ct);
            return (r.Status, r.Description!);
        }
        Assert.Equal((Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, "no recommender version in production yet ('./atelier train recs')"), await Check());

        var store = new StoreBuilder(ds);
        var articles = await store.ProductArticlesAsync(4, await store.CategoryAsync(), await store.ProductTypeAsync(), "Sock", 5m, stock: 10);
        for (var c = 0; c < 3; c++) await store.HistoricalOrderAsync(await store.CustomerAsync(), DateTime.UtcNow.AddDays(-1 - c), (articles[c], 1, 5m));
        var trained = await new Atelier.Services.Recommendations.RecsTrainer(ds, registry).TrainAsync(promote: true, force: true, ct);
        Assert.Equal((Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, $"loading production v{trained.Version}"), await Check());
        service.Swap(trained.Engine, trained.Version);
        Assert.Equal((Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, $"serving production v{trained.Version}"), await Check());
        service.Swap(trained.Engine, trained.Version + 1);
        Assert.Equal((Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded,
            $"serving v{trained.Version + 1}, loading production v{trained.Version}"), await Check());
    }

    public void Dispose() => _factory.Dispose();
}
