using System.Net;
using System.Net.Http.Json;
using Atelier.IntegrationTests.Infrastructure;

namespace Atelier.IntegrationTests.Api;

public sealed class OrderConcurrencyApiTests(PostgresFixture pg) : IDisposable
{
    private readonly ApiHost _api = new(pg);

    private static HttpRequestMessage Order(long article, int qty, string key) => new(HttpMethod.Post, "/api/orders")
    {
        Content = JsonContent.Create(new { items = new[] { new { articleId = article, quantity = qty } } }),
        Headers = { { "Idempotency-Key", key } },
    };

    [Fact]
    public async Task SixtyFourCustomersRaceForTheLastTenUnits()
    {
        var store = new StoreBuilder(pg.DataSource);
        var product = await store.ProductAsync(await store.CategoryAsync(), await store.ProductTypeAsync(), $"Last units {store.Tag}");
        var article = await store.ArticleAsync(product, 49.90m, stock: 10);
        var code = await store.ScalarAsync<string>("SELECT article_code FROM article WHERE article_id = @a", ("a", article));
        var users = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => _api.UserAsync(store)));

        using var start = new ManualResetEventSlim();
        var tasks = users.Select(u => Task.Run(async () =>
        {
            start.Wait();
            using var response = await u.Client.SendAsync(Order(article, 1, Guid.NewGuid().ToString()));
            return (u, status: (int)response.StatusCode, body: await ApiHost.JsonAsync(response));
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(tasks);

        Assert.Equal(10, results.Count(r => r.status == 201));
        var rejected = results.Where(r => r.status != 201).ToList();
        Assert.Equal(54, rejected.Count);
        Assert.All(rejected, r =>
        {
            Assert.Equal(409, r.status);
            Assert.Equal("Insufficient stock", r.body.GetProperty("title").GetString());
            Assert.Contains(code, r.body.GetProperty("detail").GetString());
            Assert.Equal(article, r.body.GetProperty("articleId").GetInt64());
        });
        Assert.Equal(0, await store.ScalarAsync<int>("SELECT stock FROM article WHERE article_id = @a", ("a", article)));
        var customers = users.Select(u => u.CustomerId!.Value).ToArray();
        Assert.Equal(10, await store.ScalarAsync<int>("SELECT count(*) FROM orders WHERE customer_id = ANY(@c)", ("c", customers)));
        Assert.Equal(10, await store.ScalarAsync<int>("SELECT coalesce(sum(quantity), 0) FROM order_line WHERE article_id = @a", ("a", article)));
        foreach (var u in users) u.Client.Dispose();
    }

    [Fact]
    public async Task AnIdempotentRetryStormCreatesExactlyOneOrder()
    {
        var store = new StoreBuilder(pg.DataSource);
        var product = await store.ProductAsync(await store.CategoryAsync(), await store.ProductTypeAsync());
        var article = await store.ArticleAsync(product, 12.50m, stock: 100);
        var user = await _api.UserAsync(store);
        var key = Guid.NewGuid().ToString();

        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            using var response = await user.Client.SendAsync(Order(article, 2, key), TestContext.Current.CancellationToken);
            return ((int)response.StatusCode, await ApiHost.JsonAsync(response));
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(tasks);

        Assert.All(results, r => Assert.Equal(201, r.Item1));
        var orderIds = results.Select(r => r.Item2.GetProperty("orderId").GetInt64()).Distinct().ToList();
        Assert.Single(orderIds);
        Assert.Equal(1, await store.ScalarAsync<int>("SELECT count(*) FROM orders WHERE customer_id = @c", ("c", user.CustomerId)));
        Assert.Equal(98, await store.ScalarAsync<int>("SELECT stock FROM article WHERE article_id = @a", ("a", article)));
        Assert.All(results, r => Assert.Equal(25.00m, r.Item2.GetProperty("total").GetDecimal()));

        // A later retry replays; the same key with a different body is refused and writes nothing.
        using var replay = await user.Client.SendAsync(Order(article, 2, key), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        using var reused = await user.Client.SendAsync(Order(article, 3, key), TestContext.Current.CancellationToken);
        await ApiHost.AssertProblemAsync(reused, 422, "Idempotency-Key");
        Assert.Equal(1, await store.ScalarAsync<int>("SELECT count(*) FROM orders WHERE customer_id = @c", ("c", user.CustomerId)));
        Assert.Equal(98, await store.ScalarAsync<int>("SELECT stock FROM article WHERE article_id = @a", ("a", article)));
        user.Client.Dispose();
    }

    public void Dispose() => _api.Dispose();
}
