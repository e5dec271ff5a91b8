using System.Net;
using System.Net.Http.Json;
using Atelier.IntegrationTests.Infrastructure;
using Atelier.Services.Accounts;

namespace Atelier.IntegrationTests.Api;

/// <summary>The report figures over HTTP, checked against hand-computed sums of a few orders in a quiet past month.</summary>
public sealed class ReportsApiTests(PostgresFixture pg) : IDisposable
{
    private readonly ApiHost _api = new(pg);

    private sealed record Daily(DateOnly Day, long Orders, long Units, decimal Revenue, long Customers);
    private sealed record Top(long ProductId, string Name, long UnitsSold, decimal Revenue, long Orders, long Rank);

    [Fact]
    public async Task DailyRevenueAndWindowedTopSellersCountExactlyTheWindowsSalesWithoutCancellations()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new StoreBuilder(pg.DataSource);
        var category = await store.CategoryAsync();
        var type = await store.ProductTypeAsync();
        var scarf = await store.ProductAsync(category, type, $"Scarf {store.Tag}");
        var hat = await store.ProductAsync(category, type, $"Hat {store.Tag}");
        var scarfArticle = await store.ArticleAsync(scarf, 10m, stock: 50);
        var hatArticle = await store.ArticleAsync(hat, 25m, stock: 50);
        var (a, b) = (await store.CustomerAsync(), await store.CustomerAsync());
        // A month no other test writes to (each run has a fresh database).
        var day1 = new DateTime(1994, 3, 10, 23, 30, 0, DateTimeKind.Utc); // late in the UTC day: must not slip into the next
        var day2 = new DateTime(1994, 3, 11, 0, 15, 0, DateTimeKind.Utc);
        await store.HistoricalOrderAsync(a, day1, (scarfArticle, 3, 10m), (hatArticle, 1, 25m));
        await store.HistoricalOrderAsync(b, day1.AddHours(-5), (scarfArticle, 1, 10m));
        await store.HistoricalOrderAsync(a, day2, (hatArticle, 4, 25m));
        var cancelled = await store.HistoricalOrderAsync(b, day2.AddHours(2), (scarfArticle, 9, 10m));
        await store.ExecAsync("UPDATE orders SET status = 'cancelled', cancelled_at = placed_at WHERE order_id = @id", ("id", cancelled));
        await store.HistoricalOrderAsync(b, day2.AddDays(1), (scarfArticle, 20, 10m)); // outside the top-sellers window below

        var admin = (await _api.UserAsync(store, AtelierRoles.Admin)).Client;
        var from = DateOnly.FromDateTime(day1);
        var daily = await admin.GetFromJsonAsync<List<Daily>>($"/api/admin/reports/daily-revenue?from={from:yyyy-MM-dd}&to={from.AddDays(1):yyyy-MM-dd}", ct);
        Assert.Equal(
            [new Daily(from, 2, 5, 65m, 2), new Daily(from.AddDays(1), 1, 4, 100m, 1)],
            daily!.Select(d => d with { Revenue = decimal.Round(d.Revenue, 2) }));

        var top = await admin.GetFromJsonAsync<List<Top>>($"/api/admin/reports/top-sellers?limit=5&from={from:yyyy-MM-dd}&to={from.AddDays(1):yyyy-MM-dd}", ct);
        Assert.Equal([(hat, 5L, 125m, 2L, 1L), (scarf, 4L, 40m, 2L, 2L)],
            top!.Select(t => (t.ProductId, t.UnitsSold, decimal.Round(t.Revenue, 2), t.Orders, t.Rank)));

        var bad = await admin.GetAsync($"/api/admin/reports/top-sellers?from={from.AddDays(1):yyyy-MM-dd}&to={from:yyyy-MM-dd}", ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("\"to\"", await bad.Content.ReadAsStringAsync(ct));
    }

    public void Dispose() => _api.Dispose();
}
