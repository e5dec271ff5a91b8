using System.Net;
using Atelier.IntegrationTests.Api;
using Atelier.IntegrationTests.Infrastructure;
using Atelier.Services.Accounts;
using Atelier.Services.Forecasting;

namespace Atelier.IntegrationTests.Forecasting;

public sealed class TrendApiTests(PostgresFixture pg) : IDisposable
{
    private readonly ApiHost _api = new(pg);

    /// <summary>Three product types with 130 weeks of weekly orders up to now: swimwear surges in the 6 weeks that follow
    /// "now" in each earlier year, the steady type sells 12 a week, the fading one drifts from 20 down to 4 a week.</summary>
    private static async Task<(string[] Names, long[] Articles, long Customer, DateTime Now)> SeasonalStoreAsync(StoreBuilder store)
    {
        var category = await store.CategoryAsync();
        var names = new[] { $"Swim{store.Tag}", $"Steady{store.Tag}", $"Fading{store.Tag}" };
        var articles = new long[3];
        for (var i = 0; i < 3; i++)
            articles[i] = await store.ArticleAsync(await store.ProductAsync(category, await store.ProductTypeAsync(names[i])), 10m, stock: 100);
        var customer = await store.CustomerAsync();
        var now = DateTime.UtcNow.AddHours(-2);
        for (var back = 0; back < 130; back++)
        {
            var weekOfCycle = ((-back) % 52 + 52) % 52; // 0 = this week of the year
            var swim = weekOfCycle is >= 1 and <= 6 ? 25 : 3;
            var fading = 4 + back * 16 / 130;
            await store.HistoricalOrderAsync(customer, now.AddDays(-7 * back), (articles[0], swim, 10m), (articles[1], 12, 10m), (articles[2], fading, 10m));
        }
        return (names, articles, customer, now);
    }

    [Fact]
    public async Task ASeasonalSurgeDueNextIsRankedAboveSteadyAndFadingTypes()
    {
        // In a database of its own: the ranking's weights are fitted on every product type of the store, and in the shared
        // database other tests' types (orders from 1970 to 2011, imports) once put the fading type first.
        var ct = TestContext.Current.CancellationToken;
        await using var ds = Npgsql.NpgsqlDataSource.Create(await pg.CreateEmptyDatabaseAsync());
        await Atelier.Data.Migrations.MigrationRunner.MigrateAsync(ds, ct);
        var (names, _, _, _) = await SeasonalStoreAsync(new StoreBuilder(ds));
        var trends = await new TrendService(ds, TimeProvider.System).CurrentAsync(TrendAttribute.ProductType, 100, ct);
        var rank = names.Select(n => trends.Trends.ToList().FindIndex(t => t.Group == n)).ToArray();
        Assert.True(rank[0] == 0 && rank[0] < rank[1] && rank[0] < rank[2], $"swim {rank[0]}, steady {rank[1]}, fading {rank[2]}");
        Assert.Contains("expected over the next 4 weeks", trends.Trends[0].Explanation);
    }

    [Fact]
    public async Task StaffReadTheTrendsOverHttpAndTheRankingIsKeptUntilTheDataChanges()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new StoreBuilder(pg.DataSource);
        var (names, articles, customer, now) = await SeasonalStoreAsync(store);

        var staff = await _api.UserAsync(store, AtelierRoles.Seller);
        using var response = await staff.Client.GetAsync("/api/admin/trends?attribute=product_type&top=100", ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ApiHost.JsonAsync(response);
        var ranked = body.GetProperty("trends").EnumerateArray().Select(t => (Group: t.GetProperty("group").GetString()!, Explanation: t.GetProperty("explanation").GetString()!)).ToList();
        foreach (var name in names)
        {
            var trend = ranked.Find(t => t.Group == name);
            Assert.True(trend.Group is not null, $"{name} is missing from {string.Join(", ", ranked.Select(x => x.Group))}");
            Assert.Contains("expected over the next 4 weeks", trend.Explanation);
        }

        var customerUser = await _api.UserAsync(store);
        Assert.Equal(HttpStatusCode.Forbidden, (await customerUser.Client.GetAsync("/api/admin/trends", ct)).StatusCode);
        await ApiHost.AssertProblemAsync(await staff.Client.GetAsync("/api/admin/trends?attribute=mood", ct), 400, "attribute");
        await ApiHost.AssertProblemAsync(await staff.Client.GetAsync("/api/admin/trends?top=0", ct), 400, "top");

        // The ranking is kept until the data changes. Other tests write orders concurrently, so a cache hit is looked for
        // over a few consecutive calls rather than expected on the first.
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var service = new TrendService(pg.DataSource, clock);
        await AssertServedFromCacheAsync(service, ct);

        // A new order is a new data version: the next call recomputes and shows it.
        double Steady(StoreTrendsDto d) => d.Trends.Single(t => t.Group == names[1]).UnitsPerWeek;
        var steadyBefore = Steady(await service.CurrentAsync(TrendAttribute.ProductType, 100, ct));
        await store.HistoricalOrderAsync(customer, now, (articles[1], 400, 10m));
        var steadyAfter = Steady(await service.CurrentAsync(TrendAttribute.ProductType, 100, ct));
        Assert.True(steadyAfter > steadyBefore + 50, $"steady {steadyBefore} -> {steadyAfter} units a week after a 400-unit order");

        // Older than MaxAge: recomputed even when nothing changed (catalogue edits leave no data version).
        await AssertServedFromCacheAsync(service, ct);
        clock.Now += TrendService.MaxAge + TimeSpan.FromMinutes(1);
        var computations = service.Computations;
        await service.CurrentAsync(TrendAttribute.ProductType, 100, ct);
        Assert.Equal(computations + 1, service.Computations);
    }

    /// <summary>Two consecutive calls where the second is served from the cache return the same ranking (the second
    /// call's top 3 = the first call's, whether the first one computed or hit).</summary>
    private static async Task AssertServedFromCacheAsync(TrendService service, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var previous = await service.CurrentAsync(TrendAttribute.ProductType, 100, ct);
            var before = service.Computations;
            var again = await service.CurrentAsync(TrendAttribute.ProductType, 3, ct);
            if (service.Computations != before) continue; // another test's order landed in between
            Assert.Equal(previous.Trends.Take(3).Select(t => (t.Group, t.Score)), again.Trends.Select(t => (t.Group, t.Score)));
            return;
        }
        Assert.Fail("20 consecutive calls all recomputed the trends");
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void AttributeNamesRoundTrip()
    {
        foreach (var a in Enum.GetValues<TrendAttribute>())
        {
            Assert.True(TrendService.TryParseAttribute(TrendService.Name(a), out var back));
            Assert.Equal(a, back);
        }
        Assert.False(TrendService.TryParseAttribute("size", out _));
    }

    public void Dispose() => _api.Dispose();
}
