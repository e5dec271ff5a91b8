using System.Net;
using Atelier.IntegrationTests.Api;
using Atelier.IntegrationTests.Infrastructure;
using Atelier.Services.Accounts;
using Atelier.Services.Customers;
using Atelier.Services.Reviews;

namespace Atelier.IntegrationTests.Insights;

/// <summary>
/// `analyze customers|reviews` against the real database and the insight endpoints. Every assertion is about rows this
/// class created (the analyses cover the whole store, so other tests' rows only add population).
/// </summary>
public sealed class InsightsTests(PostgresFixture pg) : IDisposable
{
    private readonly ApiHost _api = new(pg);

    /// <summary>The population the churn model learns from (24 monthly buyers still active, 24 who bought twice 300–550
    /// days ago), a frequent buyer of two years and a one-timer from 400 days ago.</summary>
    private static async Task<(long Frequent, long OneTimer)> BuildPopulationAsync(StoreBuilder store)
    {
        var article = await store.ArticleAsync(await store.ProductAsync(await store.CategoryAsync(), await store.ProductTypeAsync()), 60m, 0);
        var tag = store.Tag;
        await store.ExecAsync("INSERT INTO customer (external_ref) SELECT @t || '-' || g FROM generate_series(1, 48) g", ("t", tag));
        await store.ExecAsync("""
            INSERT INTO orders (customer_id, placed_at, status)
            SELECT c.customer_id, now() - make_interval(days => d), 'delivered'
            FROM customer c, LATERAL (SELECT split_part(c.external_ref, '-', 2)::int AS g) k,
                 LATERAL (SELECT generate_series(10 + k.g % 7, 720, 30) AS d WHERE k.g <= 24
                          UNION ALL SELECT unnest(ARRAY[300 + k.g, 500 + k.g]) WHERE k.g > 24) s
            WHERE c.external_ref LIKE @t || '-%'
            """, ("t", tag));
        var frequent = await store.CustomerAsync();
        var oneTimer = await store.CustomerAsync();
        await store.ExecAsync("""
            INSERT INTO orders (customer_id, placed_at, status)
            SELECT @c, now() - interval '1 hour' - make_interval(days => d), 'delivered' FROM generate_series(0, 700, 7) d
            """, ("c", frequent));
        await store.HistoricalOrderAsync(oneTimer, DateTime.UtcNow.AddDays(-400), (article, 1, 40m));
        await store.ExecAsync("""
            INSERT INTO order_line (order_id, line_no, article_id, quantity, unit_price)
            SELECT o.order_id, 1, @a, 1, 50 + o.customer_id % 40
            FROM orders o JOIN customer c ON c.customer_id = o.customer_id
            WHERE (c.external_ref LIKE @t || '-%' OR c.customer_id = @f) AND NOT EXISTS (SELECT 1 FROM order_line l WHERE l.order_id = o.order_id)
            """, ("a", article), ("t", tag), ("f", frequent));
        return (frequent, oneTimer);
    }

    [Fact]
    public async Task FrequentRecentBuyerBeatsOneTimerFromLongAgo()
    {
        // In a database of its own: quintiles and the churn model are fitted on every customer of the store, and in the
        // shared database other tests' customers (some with orders dated 1970–1990) once left both churn figures at 0.
        var ct = TestContext.Current.CancellationToken;
        await using var ds = Npgsql.NpgsqlDataSource.Create(await pg.CreateEmptyDatabaseAsync());
        await Atelier.Data.Migrations.MigrationRunner.MigrateAsync(ds, ct);
        var store = new StoreBuilder(ds);
        var (frequent, oneTimer) = await BuildPopulationAsync(store);

        var summary = await new CustomerInsightService(ds).AnalyzeAsync(ct);
        Assert.True(summary.Churn.Trained, summary.Churn.Note);
        Assert.True(summary.ClvFitted, summary.ClvNote);
        Assert.NotNull(summary.K);

        var f = await InsightAsync(store, frequent);
        var o = await InsightAsync(store, oneTimer);
        Assert.Equal(101, f.Frequency);
        Assert.Equal(1, o.Frequency);
        Assert.True(f.R >= o.R && f.F > o.F, $"scores {f.R}{f.F} vs {o.R}{o.F}");
        Assert.True(f.Group is "Champions" or "Loyal", $"group {f.Group}, scores R{f.R} F{f.F}, frequency {f.Frequency}");
        Assert.NotEqual(f.Group, o.Group);
        Assert.True(f.Churn < o.Churn, $"churn {f.Churn} vs {o.Churn}");
        Assert.True(f.Clv > o.Clv, $"clv {f.Clv} vs {o.Clv}");
        // BG/NBD gives P(alive) = 1 to anyone without a repeat purchase (drop-out happens only after purchases), so the
        // one-timer's risk shows in the churn model and the CLV, not here.
        Assert.True(f.PAlive > 0.9, $"p_alive {f.PAlive}");
    }

    [Fact]
    public async Task TheCustomer360ApiShowsTheStoredInsightToStaffOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new StoreBuilder(pg.DataSource);
        var (frequent, _) = await BuildPopulationAsync(store);
        var summary = await new CustomerInsightService(pg.DataSource).AnalyzeAsync(ct);
        Assert.True(summary.Churn.Trained, summary.Churn.Note);
        // The shared database's population decides the levels; the API must show what was stored.
        var f = await InsightAsync(store, frequent);
        Assert.Equal(101, f.Frequency);

        var staff = await _api.UserAsync(store, AtelierRoles.Seller);
        var customer = await _api.UserAsync(store);
        using var anonymous = _api.Anonymous();
        var url = $"/api/admin/customers/{frequent}/360";
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(url, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.Client.GetAsync(url, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/admin/segments", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.Client.GetAsync("/api/admin/segments", ct)).StatusCode);

        using var response = await staff.Client.GetAsync(url, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ApiHost.JsonAsync(response);
        Assert.Equal(101, body.GetProperty("orders").GetInt32());
        Assert.Equal(5, body.GetProperty("lastOrders").GetArrayLength());
        var insight = body.GetProperty("insight");
        Assert.Equal(f.Group, insight.GetProperty("rfmGroup").GetString());
        Assert.Equal(f.Churn < 0.4 ? "low" : f.Churn < 0.7 ? "medium" : "high", insight.GetProperty("churnRisk").GetString());
        Assert.False(string.IsNullOrEmpty(insight.GetProperty("segment").GetString()));
        Assert.True(insight.GetProperty("predictedClv365").GetDecimal() > 0);
        var next = DateOnly.Parse(insight.GetProperty("expectedNextOrder").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(next.DayNumber - DateOnly.FromDateTime(DateTime.UtcNow).DayNumber, 0, 30);

        using var segments = await staff.Client.GetAsync("/api/admin/segments", ct);
        Assert.Equal(HttpStatusCode.OK, segments.StatusCode);
        var seg = await ApiHost.JsonAsync(segments);
        Assert.True(seg.GetProperty("segments").GetArrayLength() >= 2);
        Assert.Contains(seg.GetProperty("rfmGroups").EnumerateArray(), g => g.GetProperty("group").GetString() == f.Group);

        await ApiHost.AssertProblemAsync(await staff.Client.GetAsync("/api/admin/customers/999999999999/360", ct), 404);
        await ApiHost.AssertProblemAsync(await staff.Client.GetAsync("/api/admin/customers/0/360", ct), 400, "id");
    }

    [Fact]
    public async Task FourOfFiveSayRunsSmallSoTheAdviceIsToSizeUpAndNegationIsNotCounted()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new StoreBuilder(pg.DataSource);
        var product = await store.ProductAsync(await store.CategoryAsync(), await store.ProductTypeAsync(), "Fitted blazer");
        string[] texts =
        [
            "Lovely blazer but it runs small, order a size up.",
            "Runs small. The fabric is soft and the quality is great.",
            "Beautiful colour, runs small though.",
            "Way too tight across the shoulders, it runs small.",
            "Not small at all, it fits true to size.",
        ];
        int[] ratings = [4, 5, 4, 2, 5];
        var ids = new long[texts.Length];
        for (var i = 0; i < texts.Length; i++)
            ids[i] = await store.ScalarAsync<long>("INSERT INTO review (product_id, rating, body) VALUES (@p, @r, @b) RETURNING review_id",
                ("p", product), ("r", (short)ratings[i]), ("b", texts[i]));

        await new ReviewInsightService(pg.DataSource).AnalyzeAsync(ct);
        var negated = await store.ScalarAsync<string>("SELECT size_fit FROM review_insight WHERE review_id = @r", ("r", ids[4]));
        Assert.NotEqual("small", negated);
        Assert.Equal(4L, await store.ScalarAsync<long>("SELECT count(*) FROM review_insight WHERE review_id = ANY(@r) AND size_fit = 'small'", ("r", ids)));

        using var anonymous = _api.Anonymous();
        using var response = await anonymous.GetAsync($"/api/products/{product}/reviews/insights", ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ApiHost.JsonAsync(response);
        Assert.Equal(5, body.GetProperty("ratings").GetProperty("reviews").GetInt32());
        Assert.Equal(4.0m, body.GetProperty("ratings").GetProperty("average").GetDecimal());
        var size = body.GetProperty("sizeFit");
        Assert.Equal(4, size.GetProperty("runsSmall").GetInt32());
        Assert.Equal("small", size.GetProperty("consensus").GetString());
        Assert.Contains("size up", size.GetProperty("advice").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(body.GetProperty("aspects").EnumerateArray(), a => a.GetProperty("aspect").GetString() == "fabric" && a.GetProperty("positive").GetInt32() >= 1);

        await ApiHost.AssertProblemAsync(await anonymous.GetAsync("/api/products/999999999999/reviews/insights", ct), 404);
    }

    private sealed record Stored(int Frequency, int R, int F, string Group, double Churn, decimal Clv, double PAlive);

    private static async Task<Stored> InsightAsync(StoreBuilder store, long customer)
    {
        var row = await store.ScalarAsync<string>("""
            SELECT concat_ws('|', frequency, r_score, f_score, rfm_group, churn_probability, predicted_clv_365, p_alive)
            FROM customer_insight WHERE customer_id = @c
            """, ("c", customer));
        var p = row.Split('|');
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        Assert.Equal(7, p.Length);
        return new Stored(int.Parse(p[0], inv), int.Parse(p[1], inv), int.Parse(p[2], inv), p[3], double.Parse(p[4], inv),
            decimal.Parse(p[5], inv), double.Parse(p[6], inv));
    }

    public void Dispose() => _api.Dispose();
}
