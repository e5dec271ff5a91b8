using Atelier.IntegrationTests.Infrastructure;
using Npgsql;

namespace Atelier.IntegrationTests.Database;

public sealed class PlaceOrderTests(PostgresFixture pg)
{
    private async Task<long> PlaceAsync(long customerId, string itemsJson)
    {
        await using var cmd = pg.DataSource.CreateCommand("SELECT place_order(@c, @i::jsonb)");
        cmd.Parameters.AddWithValue("c", customerId);
        cmd.Parameters.AddWithValue("i", itemsJson);
        return (long)(await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    [Fact]
    public async Task FiftyConcurrentOrdersForTenUnitsSellExactlyTen()
    {
        var store = new StoreBuilder(pg.DataSource);
        var product = await store.ProductAsync(await store.CategoryAsync(), await store.ProductTypeAsync());
        var article = await store.ArticleAsync(product, 19.99m, stock: 10);
        var customers = new long[50];
        for (var i = 0; i < customers.Length; i++) customers[i] = await store.CustomerAsync();

        using var start = new ManualResetEventSlim();
        var tasks = customers.Select(c => Task.Run(async () =>
        {
            start.Wait();
            try
            {
                await PlaceAsync(c, $$"""[{"article_id": {{article}}, "quantity": 1}]""");
                return (ok: true, state: "");
            }
            catch (PostgresException ex)
            {
                return (ok: false, state: ex.SqlState);
            }
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(tasks);

        Assert.Equal(10, results.Count(r => r.ok));
        Assert.All(results.Where(r => !r.ok), r => Assert.Equal("AT001", r.state));
        Assert.Equal(0, await store.ScalarAsync<int>("SELECT stock FROM article WHERE article_id = @a", ("a", article)));
        Assert.Equal(10, await store.ScalarAsync<int>("SELECT count(*) FROM orders WHERE customer_id = ANY(@c)", ("c", customers)));
        Assert.Equal(10, await store.ScalarAsync<int>(
            "SELECT count(*) FROM order_line l JOIN orders o USING (order_id) WHERE o.customer_id = ANY(@c)", ("c", customers)));
        Assert.Equal(10, await store.ScalarAsync<int>(
            "SELECT count(*) FROM payment p JOIN orders o USING (order_id) WHERE o.customer_id = ANY(@c) AND p.amount = 19.99", ("c", customers)));
    }

    [Fact]
    public async Task AnOrderWithOneUnavailableLineLeavesNoTrace()
    {
        var store = new StoreBuilder(pg.DataSource);
        var product = await store.ProductAsync(await store.CategoryAsync(), await store.ProductTypeAsync());
        var plenty = await store.ArticleAsync(product, 10m, stock: 5, size: "S");
        var scarce = await store.ArticleAsync(product, 12m, stock: 1, size: "M");
        var code = await store.ScalarAsync<string>("SELECT article_code FROM article WHERE article_id = @a", ("a", scarce));
        var customer = await store.CustomerAsync();

        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            PlaceAsync(customer, $$"""[{"article_id": {{plenty}}, "quantity": 2}, {"article_id": {{scarce}}, "quantity": 3}]"""));

        Assert.Equal("AT001", ex.SqlState);
        Assert.Contains(code, ex.MessageText);
        Assert.Contains("requested 3, available 1", ex.MessageText);
        Assert.Equal(5, await store.ScalarAsync<int>("SELECT stock FROM article WHERE article_id = @a", ("a", plenty)));
        Assert.Equal(1, await store.ScalarAsync<int>("SELECT stock FROM article WHERE article_id = @a", ("a", scarce)));
        Assert.Equal(0, await store.ScalarAsync<int>("SELECT count(*) FROM orders WHERE customer_id = @c", ("c", customer)));
    }

    [Fact]
    public async Task UnknownArticleAndBadQuantitiesAreRejected()
    {
        var store = new StoreBuilder(pg.DataSource);
        var customer = await store.CustomerAsync();
        var unknown = await Assert.ThrowsAsync<PostgresException>(() => PlaceAsync(customer, """[{"article_id": 999999999, "quantity": 1}]"""));
        Assert.Equal("AT002", unknown.SqlState);
        var zero = await Assert.ThrowsAsync<PostgresException>(() => PlaceAsync(customer, """[{"article_id": 1, "quantity": 0}]"""));
        Assert.Equal("AT003", zero.SqlState);
        var empty = await Assert.ThrowsAsync<PostgresException>(() => PlaceAsync(customer, "[]"));
        Assert.Equal("AT003", empty.SqlState);
        var noCustomer = await Assert.ThrowsAsync<PostgresException>(() => PlaceAsync(-1, """[{"article_id": 1, "quantity": 1}]"""));
        Assert.Equal("AT004", noCustomer.SqlState);
        Assert.Equal(0, await store.ScalarAsync<int>("SELECT count(*) FROM orders WHERE customer_id = @c", ("c", customer)));
    }

    [Fact]
    public async Task RepeatedArticlesAreSummedAndCancellationRestocks()
    {
        var store = new StoreBuilder(pg.DataSource);
        var product = await store.ProductAsync(await store.CategoryAsync(), await store.ProductTypeAsync());
        var article = await store.ArticleAsync(product, 7.50m, stock: 6);
        var customer = await store.CustomerAsync();

        var order = await PlaceAsync(customer, $$"""[{"article_id": {{article}}, "quantity": 2}, {"article_id": {{article}}, "quantity": 1}]""");
        Assert.Equal(3, await store.ScalarAsync<int>("SELECT stock FROM article WHERE article_id = @a", ("a", article)));
        Assert.Equal(1, await store.ScalarAsync<int>("SELECT count(*) FROM order_line WHERE order_id = @o", ("o", order)));
        Assert.Equal(22.50m, await store.ScalarAsync<decimal>("SELECT total FROM order_total WHERE order_id = @o", ("o", order)));

        await store.ExecAsync("SELECT cancel_order(@o)", ("o", order));
        Assert.Equal(6, await store.ScalarAsync<int>("SELECT stock FROM article WHERE article_id = @a", ("a", article)));
        Assert.Equal("cancelled", await store.ScalarAsync<string>("SELECT status FROM orders WHERE order_id = @o", ("o", order)));
        Assert.Equal("refunded", await store.ScalarAsync<string>("SELECT status FROM payment WHERE order_id = @o", ("o", order)));
        var again = await Assert.ThrowsAsync<PostgresException>(() => store.ExecAsync("SELECT cancel_order(@o)", ("o", order)));
        Assert.Equal("AT006", again.SqlState);
        Assert.Equal(6, await store.ScalarAsync<int>("SELECT stock FROM article WHERE article_id = @a", ("a", article)));
    }

    [Fact]
    public async Task ConstraintsRejectNegativeStockAndOutOfRangeRatings()
    {
        var store = new StoreBuilder(pg.DataSource);
        var product = await store.ProductAsync(await store.CategoryAsync(), await store.ProductTypeAsync());
        var article = await store.ArticleAsync(product, 5m, stock: 1);
        var stock = await Assert.ThrowsAsync<PostgresException>(() =>
            store.ExecAsync("UPDATE article SET stock = -1 WHERE article_id = @a", ("a", article)));
        Assert.Equal(PostgresErrorCodes.CheckViolation, stock.SqlState);
        var rating = await Assert.ThrowsAsync<PostgresException>(() =>
            store.ExecAsync("INSERT INTO review (product_id, rating) VALUES (@p, 6)", ("p", product)));
        Assert.Equal(PostgresErrorCodes.CheckViolation, rating.SqlState);
        var price = await Assert.ThrowsAsync<PostgresException>(() =>
            store.ArticleAsync(product, -1m, stock: 1, size: "XL"));
        Assert.Equal(PostgresErrorCodes.CheckViolation, price.SqlState);
    }
}
