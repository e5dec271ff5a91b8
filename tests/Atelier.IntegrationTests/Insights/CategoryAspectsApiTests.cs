using System.Net;
using Atelier.IntegrationTests.Api;
using Atelier.IntegrationTests.Infrastructure;
using Atelier.Services.Accounts;
using Atelier.Services.Reviews;

namespace Atelier.IntegrationTests.Insights;

public sealed class CategoryAspectsApiTests(PostgresFixture pg) : IDisposable
{
    private readonly ApiHost _api = new(pg);

    [Fact]
    public async Task SizeRemarksAndAspectsAreCountedPerCategoryAndMonthIncludingSubcategories()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new StoreBuilder(pg.DataSource);
        var parent = await store.CategoryAsync("Knitwear");
        var child = await store.CategoryAsync("Cardigans", parent);
        var product = await store.ProductAsync(child, await store.ProductTypeAsync("Cardigan"), "Chunky cardigan");
        (string Month, string Text, int Rating)[] reviews =
        [
            ("2026-03-10", "It runs small, order a size up.", 3),
            ("2026-03-20", "Runs small in the arms. The quality is great.", 4),
            ("2026-04-05", "Fits true to size and the fabric is so soft.", 5),
        ];
        foreach (var (month, text, rating) in reviews)
            await store.ExecAsync("INSERT INTO review (product_id, rating, body, created_at) VALUES (@p, @r, @b, @t::timestamptz)",
                ("p", product), ("r", (short)rating), ("b", text), ("t", month + "T12:00:00Z"));
        await new ReviewInsightService(pg.DataSource).AnalyzeAsync(ct);

        var staff = await _api.UserAsync(store, AtelierRoles.Seller);
        using var response = await staff.Client.GetAsync($"/api/admin/reviews/aspects?categoryId={parent}&months=120", ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = (await ApiHost.JsonAsync(response)).EnumerateArray().ToList();
        Assert.Equal(2, rows.Count); // March and April, both in the subcategory
        Assert.All(rows, r => Assert.Equal(child, r.GetProperty("categoryId").GetInt32()));
        var march = rows.Single(r => r.GetProperty("month").GetString() == "2026-03-01");
        Assert.Equal(2, march.GetProperty("reviews").GetInt32());
        Assert.Equal(2, march.GetProperty("runsSmall").GetInt32());
        Assert.Equal(1, march.GetProperty("aspects").EnumerateArray().Single(a => a.GetProperty("aspect").GetString() == "quality").GetProperty("positive").GetInt32());
        var april = rows.Single(r => r.GetProperty("month").GetString() == "2026-04-01");
        Assert.Equal(1, april.GetProperty("trueToSize").GetInt32());
        Assert.Equal(1, april.GetProperty("aspects").EnumerateArray().Single(a => a.GetProperty("aspect").GetString() == "fabric").GetProperty("positive").GetInt32());

        var customer = await _api.UserAsync(store);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.Client.GetAsync("/api/admin/reviews/aspects", ct)).StatusCode);
        await ApiHost.AssertProblemAsync(await staff.Client.GetAsync("/api/admin/reviews/aspects?months=0", ct), 400, "months");
    }

    public void Dispose() => _api.Dispose();
}
