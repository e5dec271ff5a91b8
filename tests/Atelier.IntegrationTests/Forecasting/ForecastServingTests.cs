using System.Globalization;
using System.Net;
using Atelier.IntegrationTests.Api;
using Atelier.IntegrationTests.Infrastructure;
using Atelier.Services.Accounts;
using Atelier.Services.Forecasting;

namespace Atelier.IntegrationTests.Forecasting;

/// <summary>
/// Forecast storage, reconciliation, inventory planning and the API against a hand-built store: one product with
/// three articles selling 18–22 units every week for a year (weeks ending last week). Assertions only read this
/// test's own series; the total is checked for consistency within the run.
/// </summary>
public sealed class ForecastServingTests(PostgresFixture pg) : IDisposable
{
    private readonly ApiHost _api = new(pg);

    private sealed record Fixture(StoreBuilder Store, int Type, long Product, long Regular, long LowStock, long Plenty);

    private async Task<Fixture> BuildAsync()
    {
        var store = new StoreBuilder(pg.DataSource);
        var type = await store.ProductTypeAsync("Forecast tee");
        var product = await store.ProductAsync(await store.CategoryAsync("Tees"), type, $"Steady tee {store.Tag}");
        var regular = await store.ArticleAsync(product, 20m, stock: 60, size: "M");
        var low = await store.ArticleAsync(product, 20m, stock: 5, size: "S");
        var plenty = await store.ArticleAsync(product, 20m, stock: 10_000, size: "L");
        var customer = await store.CustomerAsync();
        var monday = ForecastService.PeriodStart(DateOnly.FromDateTime(DateTime.UtcNow), "weekly").ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        for (int w = 1; w <= 52; w++)
        {
            int q = 18 + (w * 7 % 5); // 18..22, deterministic
            await store.HistoricalOrderAsync(customer, monday.AddDays(-7 * w + 2).AddHours(12), (regular, q, 20m), (low, q, 20m), (plenty, 40 - q, 20m));
        }
        return new Fixture(store, type, product, regular, low, plenty);
    }

    private Task RunAsync() => new ForecastService(pg.DataSource).RunAsync("article", "weekly", 8, reconcile: true, DateTime.UtcNow, TestContext.Current.CancellationToken);

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task StoredForecastsHaveOrderedIntervalsAndReconciledLevelsAddUp()
    {
        var ct = TestContext.Current.CancellationToken;
        var f = await BuildAsync();
        await RunAsync();
        var svc = new ForecastService(pg.DataSource);
        var articles = new List<ForecastSeriesDto>();
        foreach (var a in new[] { f.Regular, f.LowStock, f.Plenty }) articles.Add((await svc.GetAsync("article", Id(a), "weekly", ct))!);
        var product = await svc.GetAsync("product", Id(f.Product), "weekly", ct);
        var type = await svc.GetAsync("product_type", f.Type.ToString(CultureInfo.InvariantCulture), "weekly", ct);
        Assert.NotNull(product);
        Assert.NotNull(type);
        Assert.Equal("bottom_up", product.Model);
        Assert.True(product.Reconciled);
        var origin = ForecastService.PeriodStart(DateOnly.FromDateTime(DateTime.UtcNow), "weekly");
        foreach (var s in articles.Append(product).Append(type))
        {
            Assert.Equal(8, s.Points.Count);
            Assert.Equal(origin, s.Points[0].PeriodStart);
            Assert.Equal(origin.AddDays(7 * 7), s.Points[^1].PeriodStart);
            foreach (var p in s.Points)
                Assert.True(p.Lo95 <= p.Lo80 && p.Lo80 <= p.Point && p.Point <= p.Hi80 && p.Hi80 <= p.Hi95, $"{s.Level} {s.Key}: {p}");
        }
        // A steady ~20 units a week article forecasts ~20 a week with a sensible spread.
        Assert.All(articles[0].Points, p => Assert.InRange(p.Point, 17, 23));
        Assert.All(articles[0].Points, p => Assert.InRange(p.Hi95 - p.Lo95, 1, 30));
        for (int h = 0; h < 8; h++)
        {
            double sum = articles.Sum(a => a.Points[h].Point);
            Assert.Equal(sum, product.Points[h].Point, 6);
            Assert.Equal(sum, type.Points[h].Point, 6); // the type has only this product
            Assert.True(product.Points[h].Hi95 - product.Points[h].Point <= articles.Sum(a => a.Points[h].Hi95 - a.Points[h].Point) + 1e-9);
        }
        // The total of the run is the sum of its product types, period by period.
        var gap = await f.Store.ScalarAsync<double>("""
            SELECT coalesce(max(abs(t.point - s.point)), -1) FROM
              (SELECT f.period_start, f.point FROM forecast f JOIN forecast_run r USING (run_id) WHERE r.level = 'total' AND r.frequency = 'weekly') t
            JOIN (SELECT f.period_start, sum(f.point) AS point FROM forecast f JOIN forecast_run r USING (run_id)
                  WHERE r.level = 'product_type' AND r.frequency = 'weekly' GROUP BY 1) s USING (period_start)
            """);
        Assert.InRange(gap, 0, 1e-6);
        // Re-running replaces the previous run of each level.
        await RunAsync();
        Assert.Equal(1L, await f.Store.ScalarAsync<long>("SELECT count(*) FROM forecast_run WHERE level = 'product' AND frequency = 'weekly'"));
    }

    [Fact]
    public async Task InventoryPlanFlagsLowStockAndClearsPlentifulStock()
    {
        var ct = TestContext.Current.CancellationToken;
        var f = await BuildAsync();
        await RunAsync();
        var plans = await new InventoryPlanner(pg.DataSource).PlanAllAsync(14, 0.95, "weekly", ct, [f.LowStock, f.Plenty, f.Regular]);
        Assert.NotNull(plans);
        var low = plans.Single(p => p.ArticleId == f.LowStock);
        var plenty = plans.Single(p => p.ArticleId == f.Plenty);
        var regular = plans.Single(p => p.ArticleId == f.Regular);
        // ~40 units of demand over 14 days against 5 in stock.
        Assert.InRange(low.LeadTimeDemand, 34, 46);
        Assert.True(low.StockoutProbability > 0.95, $"{low}");
        Assert.True(low.SuggestedOrder > 40, $"{low}");                // order-up-to covers lead time + a week's review
        Assert.True(low.ReorderPoint > low.LeadTimeDemand);          // safety stock at 95%
        Assert.InRange(low.DaysOfCover!.Value, 1, 2.5);              // 5 units at ~20 a week
        Assert.True(plenty.StockoutProbability < 1e-6, $"{plenty}");
        Assert.Equal(0, plenty.SuggestedOrder);
        Assert.InRange(regular.StockoutProbability, plenty.StockoutProbability, low.StockoutProbability); // 60 in stock vs ~40
        Assert.Equal(new[] { low, regular, plenty }.Select(p => p.ArticleId), plans.Select(p => p.ArticleId)); // riskiest first
    }

    [Fact]
    public async Task ApiIsStaffOnlyAndValidatesParameters()
    {
        var ct = TestContext.Current.CancellationToken;
        var f = await BuildAsync();
        await RunAsync();
        var customer = await _api.UserAsync(f.Store);
        var seller = await _api.UserAsync(f.Store, AtelierRoles.Seller);
        using var anonymous = _api.Anonymous();
        var forecastUrl = $"/api/forecasts?level=article&key={f.Regular}&frequency=weekly";
        const string planUrl = "/api/admin/inventory/plan?leadTimeDays=14&serviceLevel=0.95&onlyAtRisk=true&limit=1000";
        foreach (var url in new[] { forecastUrl, planUrl })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(url, ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await customer.Client.GetAsync(url, ct)).StatusCode);
        }
        var series = await ApiHost.JsonAsync(await seller.Client.GetAsync(forecastUrl, ct));
        Assert.Equal(8, series.GetProperty("points").GetArrayLength());
        Assert.Equal(f.Regular.ToString(CultureInfo.InvariantCulture), series.GetProperty("key").GetString());
        using var planResponse = await seller.Client.GetAsync(planUrl, ct);
        Assert.Equal(HttpStatusCode.OK, planResponse.StatusCode);
        var ids = (await ApiHost.JsonAsync(planResponse)).GetProperty("items").EnumerateArray().Select(e => e.GetProperty("articleId").GetInt64()).ToList();
        Assert.Contains(f.LowStock, ids);
        Assert.DoesNotContain(f.Plenty, ids);
        // The low-stock report carries the plan columns. Other tests (imports) add many low-stock articles, and the report
        // sorts by shortfall, so this article gets the largest shortfall to be on the first page.
        await f.Store.ExecAsync("UPDATE article SET reorder_level = 1000000 WHERE article_id = @a", ("a", f.LowStock));
        var lowStock = (await ApiHost.JsonAsync(await seller.Client.GetAsync("/api/admin/reports/low-stock?limit=1000", ct))).EnumerateArray()
            .Single(e => e.GetProperty("articleId").GetInt64() == f.LowStock);
        Assert.True(lowStock.GetProperty("stockoutProbability").GetDouble() > 0.95);
        Assert.True(lowStock.GetProperty("suggestedOrder").GetInt32() > 40);

        (string Url, int Status, string? Field)[] bad =
        [
            ("/api/forecasts?level=region", 400, "level"),
            ("/api/forecasts?level=total&frequency=hourly", 400, "frequency"),
            ("/api/forecasts?level=article&key=abc", 400, "key"),
            ("/api/forecasts?level=article", 400, "key"),
            ("/api/forecasts?level=article&key=999999999999", 404, null),
            ("/api/admin/inventory/plan?serviceLevel=2", 400, "serviceLevel"),
            ("/api/admin/inventory/plan?leadTimeDays=0", 400, "leadTimeDays"),
            ("/api/admin/inventory/plan?limit=0", 400, "limit"),
            ("/api/admin/inventory/plan?cursor=%27%3B--", 400, "cursor"),
            ("/api/admin/inventory/plan?leadTimeDays=abc", 400, null),
        ];
        foreach (var (url, status, field) in bad)
            await ApiHost.AssertProblemAsync(await seller.Client.GetAsync(url, ct), status, field);
    }

    public void Dispose() => _api.Dispose();
}
