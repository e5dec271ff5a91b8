using System.Net;
using Atelier.IntegrationTests.Api;
using Atelier.IntegrationTests.Infrastructure;
using Atelier.Services.Accounts;
using Atelier.Services.Forecasting;

namespace Atelier.IntegrationTests.Forecasting;

public sealed class TrendApiTests(PostgresFixture pg) : IDisposable
{
    private readonly ApiHost _api = new(pg);

    [Fact]
    public async Task ASeasonalSurgeDueNextIsRankedAboveSteadyAndFadingTypesWithAnExplanation()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new StoreBuilder(pg.DataSource);
        var category = await store.CategoryAsync();
        var names = new[] { $"Swim{store.Tag}", $"Steady{store.Tag}", $"Fading{store.Tag}" };
        var articles = new long[3];
        for (var i = 0; i < 3; i++)
            articles[i] = await store.ArticleAsync(await store.ProductAsync(category, await store.ProductTypeAsync(names[i])), 10m, stock: 100);
        var customer = await store.CustomerAsync();
        // 130 weeks back from today: swimwear surges in the 6 weeks that follow "now" in each earlier year, the steady type
        // sells 12 a week, the fading one drifts from 20 down to 4 a week.
        var now = DateTime.UtcNow.AddHours(-2);
        for (var back = 0; back < 130; back++)
        {
            var weekOfCycle = ((-back) % 52 + 52) % 52; // 0 = this week of the year
            var swim = weekOfCycle is >= 1 and <= 6 ? 25 : 3;
            var fading = 4 + back * 16 / 130;
            await store.HistoricalOrderAsync(customer, now.AddDays(-7 * back), (articles[0], swim, 10m), (articles[1], 12, 10m), (articles[2], fading, 10m));
        }

        var staff = await _api.UserAsync(store, AtelierRoles.Seller);
        using var response = await staff.Client.GetAsync("/api/admin/trends?attribute=product_type&top=100", ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ApiHost.JsonAsync(response);
        var ranked = body.GetProperty("trends").EnumerateArray().Select(t => (Group: t.GetProperty("group").GetString()!, Explanation: t.GetProperty("explanation").GetString()!)).ToList();
        var rank = names.Select(n => ranked.FindIndex(t => t.Group == n)).ToArray();
        Assert.All(rank, r => Assert.True(r >= 0, $"a test group is missing from {string.Join(", ", ranked.Select(x => x.Group))}"));
        Assert.True(rank[0] < rank[1] && rank[0] < rank[2], $"swim {rank[0]}, steady {rank[1]}, fading {rank[2]}");
        Assert.Contains("expected over the next 4 weeks", ranked[rank[0]].Explanation);

        var customerUser = await _api.UserAsync(store);
        Assert.Equal(HttpStatusCode.Forbidden, (await customerUser.Client.GetAsync("/api/admin/trends", ct)).StatusCode);
        await ApiHost.AssertProblemAsync(await staff.Client.GetAsync("/api/admin/trends?attribute=mood", ct), 400, "attribute");
        await ApiHost.AssertProblemAsync(await staff.Client.GetAsync("/api/admin/trends?top=0", ct), 400, "top");
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
