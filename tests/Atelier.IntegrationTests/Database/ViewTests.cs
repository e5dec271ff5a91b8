using Atelier.IntegrationTests.Infrastructure;

namespace Atelier.IntegrationTests.Database;

/// <summary>Each reporting view against a hand-built fixture whose right answer is computed by hand.</summary>
public sealed class ViewTests(PostgresFixture pg)
{
    [Fact]
    public async Task ViewsReturnTheRightRowsForAHandBuiltFixture()
    {
        var store = new StoreBuilder(pg.DataSource);
        var category = await store.CategoryAsync("Knitwear");
        var type = await store.ProductTypeAsync("Sweater");
        var best = await store.ProductAsync(category, type, "Best sweater");
        var other = await store.ProductAsync(category, type, "Other sweater");
        var a1 = await store.ArticleAsync(best, 30m, stock: 2, reorderLevel: 5);      // low stock
        var a2 = await store.ArticleAsync(other, 50m, stock: 40, reorderLevel: 5);    // fine
        var c1 = await store.CustomerAsync();
        var c2 = await store.CustomerAsync();

        // A day no other test uses: 1955–1979 (the campaign test uses 1900–1954, the reports test 1994, imports 2010 on).
        var day = new DateTime(1955, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(Random.Shared.Next(0, 3000) * 3);
        await store.HistoricalOrderAsync(c1, day.AddHours(10), (a1, 2, 30m), (a2, 1, 50m));   // 110
        await store.HistoricalOrderAsync(c2, day.AddHours(15), (a1, 3, 30m));                 // 90
        var cancelled = await store.HistoricalOrderAsync(c2, day.AddHours(16), (a2, 5, 50m));
        await store.ExecAsync("UPDATE orders SET status = 'cancelled', cancelled_at = now() WHERE order_id = @o", ("o", cancelled));
        await store.HistoricalOrderAsync(c1, day.AddDays(1).AddHours(9), (a2, 1, 50m));       // next day: 50

        // top_selling_products: best sold 5 units (150), other 2 units (100); the cancelled order does not count.
        Assert.Equal(5L, await store.ScalarAsync<long>("SELECT units_sold FROM top_selling_products WHERE product_id = @p", ("p", best)));
        Assert.Equal(150m, await store.ScalarAsync<decimal>("SELECT revenue FROM top_selling_products WHERE product_id = @p", ("p", best)));
        Assert.Equal(2L, await store.ScalarAsync<long>("SELECT units_sold FROM top_selling_products WHERE product_id = @p", ("p", other)));

        // low_stock_items: a1 only, shortfall 3.
        Assert.Equal(3, await store.ScalarAsync<int>("SELECT shortfall FROM low_stock_items WHERE article_id = @a", ("a", a1)));
        Assert.Equal(0, await store.ScalarAsync<int>("SELECT count(*) FROM low_stock_items WHERE article_id = @a", ("a", a2)));

        // daily_revenue: the first day has 2 orders, 6 units, 200 revenue, 2 customers; the next day 50.
        Assert.Equal(2L, await store.ScalarAsync<long>("SELECT orders FROM daily_revenue WHERE day = @d", ("d", DateOnly.FromDateTime(day))));
        Assert.Equal(6L, await store.ScalarAsync<long>("SELECT units FROM daily_revenue WHERE day = @d", ("d", DateOnly.FromDateTime(day))));
        Assert.Equal(200m, await store.ScalarAsync<decimal>("SELECT revenue FROM daily_revenue WHERE day = @d", ("d", DateOnly.FromDateTime(day))));
        Assert.Equal(50m, await store.ScalarAsync<decimal>("SELECT revenue FROM daily_revenue WHERE day = @d", ("d", DateOnly.FromDateTime(day.AddDays(1)))));

        // category_sales_weekly: everything in the category, summed over the week(s) of the fixture: 250.
        Assert.Equal(250m, await store.ScalarAsync<decimal>("SELECT sum(revenue) FROM category_sales_weekly WHERE category_id = @c", ("c", category)));

        // customer_rfm: c1 has 2 orders worth 160, c2 has 1 (the cancelled one excluded) worth 90.
        Assert.Equal(2, await store.ScalarAsync<int>("SELECT frequency FROM customer_rfm WHERE customer_id = @c", ("c", c1)));
        Assert.Equal(160m, await store.ScalarAsync<decimal>("SELECT monetary FROM customer_rfm WHERE customer_id = @c", ("c", c1)));
        Assert.Equal(1, await store.ScalarAsync<int>("SELECT frequency FROM customer_rfm WHERE customer_id = @c", ("c", c2)));
        Assert.Equal(90m, await store.ScalarAsync<decimal>("SELECT monetary FROM customer_rfm WHERE customer_id = @c", ("c", c2)));
    }

    [Fact]
    public async Task CampaignSummaryComparesTheWindowWithTheSameLengthBefore()
    {
        var store = new StoreBuilder(pg.DataSource);
        var product = await store.ProductAsync(await store.CategoryAsync(), await store.ProductTypeAsync());
        var article = await store.ArticleAsync(product, 10m, stock: 100);
        var customer = await store.CustomerAsync();
        // A window far in the past that no other test touches (1900–1954: the imports and other fixtures use 1994 and later).
        var start = new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(Random.Shared.Next(0, 2000) * 10);
        var campaign = await store.ScalarAsync<long>(
            "INSERT INTO campaign (name, kind, starts_at, ends_at, budget) VALUES (@n, 'influencer', @s, @e, 100) RETURNING campaign_id",
            ("n", $"Spring {store.Tag}"), ("s", start), ("e", start.AddDays(7)));
        var influencer = await store.ScalarAsync<long>(
            "INSERT INTO influencer (handle, name, platform, followers) VALUES (@h, 'Ada', 'instagram', 5000) RETURNING influencer_id",
            ("h", $"@ada{store.Tag}"));
        await store.ExecAsync("INSERT INTO campaign_influencer (campaign_id, influencer_id, fee) VALUES (@c, @i, 250)", ("c", campaign), ("i", influencer));
        await store.ExecAsync("INSERT INTO campaign_assignment (campaign_id, customer_id, treated) VALUES (@c, @u, true)", ("c", campaign), ("u", customer));
        await store.HistoricalOrderAsync(customer, start.AddDays(-3), (article, 1, 10m));   // before: 10
        var during = await store.HistoricalOrderAsync(customer, start.AddDays(2), (article, 3, 10m));   // in window: 30
        await store.ExecAsync("UPDATE orders SET campaign_id = @c WHERE order_id = @o", ("c", campaign), ("o", during));

        Assert.Equal(350m, await store.ScalarAsync<decimal>("SELECT spend FROM campaign_summary(@c)", ("c", campaign)));
        Assert.Equal(1L, await store.ScalarAsync<long>("SELECT reach FROM campaign_summary(@c)", ("c", campaign)));
        Assert.Equal(30m, await store.ScalarAsync<decimal>("SELECT attributed_revenue FROM campaign_summary(@c)", ("c", campaign)));
        Assert.Equal(30m, await store.ScalarAsync<decimal>("SELECT revenue_in_window FROM campaign_summary(@c)", ("c", campaign)));
        Assert.Equal(10m, await store.ScalarAsync<decimal>("SELECT revenue_before FROM campaign_summary(@c)", ("c", campaign)));
        Assert.Equal(200m, await store.ScalarAsync<decimal>("SELECT revenue_change_pct FROM campaign_summary(@c)", ("c", campaign)));
    }
}
