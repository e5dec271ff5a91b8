using System.Net.Http.Json;
using Atelier.IntegrationTests.Infrastructure;
using Atelier.Services.Accounts;

namespace Atelier.IntegrationTests.Api;

/// <summary>Every endpoint × {anonymous, customer A, customer B, seller, admin}; B never reaches A's data.</summary>
public sealed class AuthorizationMatrixApiTests(PostgresFixture pg) : IDisposable
{
    private readonly ApiHost _api = new(pg);

    private sealed record Case(string Name, Func<Task<HttpRequestMessage>> Request, int Anonymous, int A, int B, int Seller, int Admin);

    private static HttpRequestMessage Req(HttpMethod method, string url, object? body = null, string? key = null)
    {
        var r = new HttpRequestMessage(method, url);
        if (body is not null) r.Content = JsonContent.Create(body);
        if (key is not null) r.Headers.Add("Idempotency-Key", key);
        return r;
    }

    [Fact]
    public async Task EveryEndpointAnswersEachRoleAsExpected()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new StoreBuilder(pg.DataSource);
        var product = await store.ProductAsync(await store.CategoryAsync(), await store.ProductTypeAsync(), $"Matrix coat {store.Tag}");
        var article = await store.ArticleAsync(product, 80m, stock: 100, size: "M");
        var reviewed = await store.ArticleAsync(product, 80m, stock: 100, size: "L");
        var campaign = await store.ScalarAsync<long>(
            "INSERT INTO campaign (name, kind, starts_at, ends_at) VALUES (@n, 'email', now() - interval '1 day', now() + interval '1 day') RETURNING campaign_id",
            ("n", $"matrix {store.Tag}"));
        var a = await _api.UserAsync(store);
        var b = await _api.UserAsync(store);
        var seller = await _api.UserAsync(store, AtelierRoles.Seller);
        var admin = await _api.UserAsync(store, AtelierRoles.Admin);
        using var anonymous = _api.Anonymous();

        async Task<long> OrderAsync(ApiUser u, long art)
        {
            using var r = await u.Client.SendAsync(Req(HttpMethod.Post, "/api/orders", new { items = new[] { new { articleId = art, quantity = 1 } } }, Guid.NewGuid().ToString()), ct);
            return (await ApiHost.JsonAsync(r)).GetProperty("orderId").GetInt64();
        }
        var orderA = await OrderAsync(a, article);
        await OrderAsync(a, reviewed);
        var seq = 0;
        Task<HttpRequestMessage> R(HttpMethod m, string url, object? body = null, bool key = false) =>
            Task.FromResult(Req(m, url, body, key ? Guid.NewGuid().ToString() : null));
        async Task<HttpRequestMessage> DeleteFreshCampaign()
        {
            var id = await store.ScalarAsync<long>(
                "INSERT INTO campaign (name, kind, starts_at, ends_at) VALUES (@n, 'email', now(), now() + interval '1 day') RETURNING campaign_id",
                ("n", $"del {store.Tag} {Interlocked.Increment(ref seq)}"));
            return Req(HttpMethod.Delete, $"/api/admin/campaigns/{id}");
        }
        var influencer = await store.ScalarAsync<long>(
            "INSERT INTO influencer (handle, name, platform, followers) VALUES (@h, 'Matrix', 'blog', 5) RETURNING influencer_id", ("h", $"mx{store.Tag}"));
        async Task<HttpRequestMessage> DeleteFreshInfluencer()
        {
            var id = await store.ScalarAsync<long>(
                "INSERT INTO influencer (handle, name, platform, followers) VALUES (@h, 'Del', 'blog', 5) RETURNING influencer_id",
                ("h", $"del{store.Tag}{Interlocked.Increment(ref seq)}"));
            return Req(HttpMethod.Delete, $"/api/admin/influencers/{id}");
        }
        async Task<HttpRequestMessage> DeleteFreshArticle()
        {
            var id = await store.ArticleAsync(product, 5m, stock: 1, size: $"D{Interlocked.Increment(ref seq)}");
            return Req(HttpMethod.Delete, $"/api/admin/articles/{id}");
        }
        var window = new { name = "", kind = "email", startsAt = DateTimeOffset.UtcNow, endsAt = DateTimeOffset.UtcNow.AddDays(3) };

        Case[] cases =
        [
            new("search", () => R(HttpMethod.Get, "/api/products?q=coat"), 200, 200, 200, 200, 200),
            new("detail", () => R(HttpMethod.Get, $"/api/products/{product}"), 200, 200, 200, 200, 200),
            new("categories", () => R(HttpMethod.Get, "/api/categories"), 200, 200, 200, 200, 200),
            new("reviews list", () => R(HttpMethod.Get, $"/api/products/{product}/reviews"), 200, 200, 200, 200, 200),
            new("events", () => R(HttpMethod.Post, "/api/events", new { sessionId = Guid.NewGuid(), events = new[] { new { type = "view", articleId = article } } }), 202, 202, 202, 202, 202),
            new("register", () => R(HttpMethod.Post, "/api/accounts/register", new { email = $"r{Interlocked.Increment(ref seq)}{store.Tag}@example.test", password = "long enough password" }), 201, 201, 201, 201, 201),
            new("login (wrong password)", () => R(HttpMethod.Post, "/api/accounts/login", new { email = $"nobody{store.Tag}@example.test", password = "long enough password" }), 401, 401, 401, 401, 401),
            new("logout", () => R(HttpMethod.Post, "/api/accounts/logout"), 401, 200, 200, 200, 200),
            new("me", () => R(HttpMethod.Get, "/api/accounts/me"), 401, 200, 200, 200, 200),
            new("cart", () => R(HttpMethod.Get, "/api/cart"), 401, 200, 200, 403, 403),
            new("cart set", () => R(HttpMethod.Put, $"/api/cart/items/{article}", new { quantity = 2 }), 401, 200, 200, 403, 403),
            new("cart remove", () => R(HttpMethod.Delete, $"/api/cart/items/{article}"), 401, 200, 200, 403, 403),
            new("cart clear", () => R(HttpMethod.Delete, "/api/cart"), 401, 204, 204, 403, 403),
            new("order place", () => R(HttpMethod.Post, "/api/orders", new { items = new[] { new { articleId = article, quantity = 1 } } }, key: true), 401, 201, 201, 403, 403),
            new("order list", () => R(HttpMethod.Get, "/api/orders"), 401, 200, 200, 403, 403),
            new("order detail", () => R(HttpMethod.Get, $"/api/orders/{orderA}"), 401, 200, 404, 403, 403),
            new("order cancel", () => R(HttpMethod.Post, $"/api/orders/{orderA}/cancel"), 401, 200, 404, 403, 403),
            new("review create", () => R(HttpMethod.Post, $"/api/products/{product}/reviews", new { articleId = reviewed, rating = 5 }), 401, 201, 403, 403, 403),
            new("admin article", () => R(HttpMethod.Get, $"/api/admin/articles/{article}"), 401, 403, 403, 200, 200),
            new("admin articles", () => R(HttpMethod.Get, $"/api/admin/articles?productId={product}"), 401, 403, 403, 200, 200),
            new("admin article create", () => R(HttpMethod.Post, "/api/admin/articles", new { productId = product, articleCode = $"MX-{Guid.NewGuid():N}"[..20], size = $"S{Interlocked.Increment(ref seq)}", price = 10m }), 401, 403, 403, 201, 201),
            new("admin article update", () => R(HttpMethod.Put, $"/api/admin/articles/{article}", new { price = 80m }), 401, 403, 403, 200, 200),
            new("admin stock", () => R(HttpMethod.Put, $"/api/admin/articles/{article}/stock", new { delta = 1 }), 401, 403, 403, 200, 200),
            new("top sellers", () => R(HttpMethod.Get, "/api/admin/reports/top-sellers"), 401, 403, 403, 200, 200),
            new("low stock", () => R(HttpMethod.Get, "/api/admin/reports/low-stock"), 401, 403, 403, 200, 200),
            new("daily revenue", () => R(HttpMethod.Get, "/api/admin/reports/daily-revenue"), 401, 403, 403, 200, 200),
            new("category sales", () => R(HttpMethod.Get, "/api/admin/reports/category-sales"), 401, 403, 403, 200, 200),
            new("campaigns", () => R(HttpMethod.Get, "/api/admin/campaigns"), 401, 403, 403, 200, 200),
            new("campaign", () => R(HttpMethod.Get, $"/api/admin/campaigns/{campaign}"), 401, 403, 403, 200, 200),
            new("campaign create", () => R(HttpMethod.Post, "/api/admin/campaigns", window with { name = $"m {store.Tag} {Interlocked.Increment(ref seq)}" }), 401, 403, 403, 201, 201),
            new("campaign update", () => R(HttpMethod.Put, $"/api/admin/campaigns/{campaign}", window with { name = $"matrix {store.Tag}" }), 401, 403, 403, 200, 200),
            new("campaign summary", () => R(HttpMethod.Get, $"/api/admin/campaigns/{campaign}/summary"), 401, 403, 403, 200, 200),
            new("campaign delete", DeleteFreshCampaign, 401, 403, 403, 403, 204),
            new("influencer", () => R(HttpMethod.Get, $"/api/admin/influencers/{influencer}"), 401, 403, 403, 200, 200),
            new("influencer update", () => R(HttpMethod.Put, $"/api/admin/influencers/{influencer}", new { handle = $"mx{store.Tag}", name = "Matrix", platform = "tiktok", followers = 7 }), 401, 403, 403, 200, 200),
            new("influencer delete", DeleteFreshInfluencer, 401, 403, 403, 403, 204),
            new("campaign link influencer", () => R(HttpMethod.Put, $"/api/admin/campaigns/{campaign}/influencers/{influencer}", new { fee = 100m, posts = 2 }), 401, 403, 403, 200, 200),
            new("campaign unlink influencer", () => R(HttpMethod.Delete, $"/api/admin/campaigns/{campaign}/influencers/{influencer}"), 401, 403, 403, 204, 404),
            new("admin article delete", DeleteFreshArticle, 401, 403, 403, 204, 204),
            new("influencers", () => R(HttpMethod.Get, "/api/admin/influencers"), 401, 403, 403, 200, 200),
            new("influencer create", () => R(HttpMethod.Post, "/api/admin/influencers", new { handle = $"h{store.Tag}{Interlocked.Increment(ref seq)}", name = "N", platform = "blog", followers = 10 }), 401, 403, 403, 201, 201),
            new("recommender models", () => R(HttpMethod.Get, "/api/admin/models/recs-hybrid"), 401, 403, 403, 200, 200),
            // A version that does not exist: admins get 404, everyone else never learns that.
            new("recommender promote", () => R(HttpMethod.Post, "/api/admin/models/recs-hybrid/versions/2000000000/promote", new { }), 401, 403, 403, 403, 404),
            new("user create", () => R(HttpMethod.Post, "/api/admin/users", new { email = $"s{Interlocked.Increment(ref seq)}{store.Tag}@example.test", password = "long enough password", role = "seller" }), 401, 403, 403, 403, 201),
        ];

        var failures = new List<string>();
        foreach (var c in cases)
            // A goes last so that B's attempts on A's resources happen before A changes them.
            foreach (var (who, client, expected) in new[] { ("anonymous", anonymous, c.Anonymous), ("B", b.Client, c.B), ("seller", seller.Client, c.Seller), ("admin", admin.Client, c.Admin), ("A", a.Client, c.A) })
            {
                using var request = await c.Request();
                using var response = await client.SendAsync(request, ct);
                if ((int)response.StatusCode != expected)
                    failures.Add($"{c.Name} as {who}: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                else if (expected >= 400)
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // B's history never lists A's orders, and B's failed cancel left A's order untouched until A cancelled it.
        using var bList = await b.Client.GetAsync("/api/orders", ct);
        var bOrders = (await ApiHost.JsonAsync(bList)).GetProperty("items").EnumerateArray().Select(o => o.GetProperty("orderId").GetInt64()).ToList();
        Assert.DoesNotContain(orderA, bOrders);
        Assert.Equal(a.CustomerId, await store.ScalarAsync<long>("SELECT customer_id FROM orders WHERE order_id = @o", ("o", orderA)));
        Assert.Equal(0, await store.ScalarAsync<int>("SELECT count(*) FROM review WHERE customer_id = @b", ("b", b.CustomerId)));
        foreach (var u in new[] { a, b, seller, admin }) u.Client.Dispose();
    }

    public void Dispose() => _api.Dispose();
}
