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
        Assert.Equal("Healthy", doc.RootElement.GetProperty("status").GetString());
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

    public void Dispose() => _factory.Dispose();
}
