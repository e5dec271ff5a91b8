using System.Net.Http.Json;
using System.Text;
using Atelier.IntegrationTests.Infrastructure;
using Atelier.Services.Accounts;

namespace Atelier.IntegrationTests.Api;

/// <summary>Malformed, mistyped, oversized, negative, injected and unknown input: 4xx ProblemDetails, never 500, nothing written.</summary>
public sealed class BadInputApiTests(PostgresFixture pg) : IDisposable
{
    private readonly ApiHost _api = new(pg);

    private static HttpRequestMessage Raw(HttpMethod method, string url, string? json, string? key = "k-1", string mediaType = "application/json")
    {
        var r = new HttpRequestMessage(method, url);
        if (json is not null) r.Content = new StringContent(json, Encoding.UTF8, mediaType);
        if (key is not null) r.Headers.Add("Idempotency-Key", key);
        return r;
    }

    [Fact]
    public async Task BadRequestsGetProblemDetailsAndWriteNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new StoreBuilder(pg.DataSource);
        var product = await store.ProductAsync(await store.CategoryAsync(), await store.ProductTypeAsync(), $"Sturdy boot {store.Tag}");
        var article = await store.ArticleAsync(product, 120m, stock: 5);
        var customer = await _api.UserAsync(store);
        var admin = await _api.UserAsync(store, AtelierRoles.Admin);
        using var anonymous = _api.Anonymous();
        var session = Guid.NewGuid();
        string Items(string item) => $$"""{"items": [{{item}}]}""";
        var hugeItems = Items(string.Join(",", Enumerable.Repeat($$"""{"articleId": {{article}}, "quantity": 1}""", 4000)));
        var hugeEvents = $$"""{"sessionId": "{{session}}", "events": [{{string.Join(",", Enumerable.Repeat($$"""{"type": "view", "articleId": {{article}}, "campaignId": null}""", 20000))}}]}""";
        var tooManyEvents = $$"""{"sessionId": "{{session}}", "events": [{{string.Join(",", Enumerable.Repeat($$"""{"type": "view", "articleId": {{article}}}""", 501))}}]}""";

        (string Name, HttpClient Client, HttpRequestMessage Request, int Status, string? Field)[] cases =
        [
            ("malformed JSON", customer.Client, Raw(HttpMethod.Post, "/api/orders", """{"items": [{"articleId": """), 400, null),
            ("not JSON", customer.Client, Raw(HttpMethod.Post, "/api/orders", "items=1", mediaType: "text/plain"), 415, null),
            ("string for a number", customer.Client, Raw(HttpMethod.Post, "/api/orders", Items("""{"articleId": "abc", "quantity": 1}""")), 400, "items[0].articleId"),
            ("quoted number", customer.Client, Raw(HttpMethod.Post, "/api/orders", Items($$"""{"articleId": {{article}}, "quantity": "2"}""")), 400, "items[0].quantity"),
            ("int overflow", customer.Client, Raw(HttpMethod.Post, "/api/orders", Items($$"""{"articleId": {{article}}, "quantity": 10000000000}""")), 400, "items[0].quantity"),
            ("fractional quantity", customer.Client, Raw(HttpMethod.Post, "/api/orders", Items($$"""{"articleId": {{article}}, "quantity": 1.5}""")), 400, "items[0].quantity"),
            ("negative quantity", customer.Client, Raw(HttpMethod.Post, "/api/orders", Items($$"""{"articleId": {{article}}, "quantity": -3}""")), 400, "items[0].quantity"),
            ("zero quantity", customer.Client, Raw(HttpMethod.Post, "/api/orders", Items($$"""{"articleId": {{article}}, "quantity": 0}""")), 400, "items[0].quantity"),
            ("quantity above limit", customer.Client, Raw(HttpMethod.Post, "/api/orders", Items($$"""{"articleId": {{article}}, "quantity": 100000}""")), 400, "items[0].quantity"),
            ("negative article", customer.Client, Raw(HttpMethod.Post, "/api/orders", Items("""{"articleId": -1, "quantity": 1}""")), 400, "items[0].articleId"),
            ("unknown article", customer.Client, Raw(HttpMethod.Post, "/api/orders", Items("""{"articleId": 999999999, "quantity": 1}"""), key: "k-unknown"), 422, "items"),
            ("no idempotency key", customer.Client, Raw(HttpMethod.Post, "/api/orders", Items($$"""{"articleId": {{article}}, "quantity": 1}"""), key: null), 400, "Idempotency-Key"),
            ("empty cart", customer.Client, Raw(HttpMethod.Post, "/api/orders", "{}", key: "k-empty"), 409, "items"),
            ("huge order", customer.Client, Raw(HttpMethod.Post, "/api/orders", hugeItems), 413, null),
            ("unknown order", customer.Client, Raw(HttpMethod.Get, "/api/orders/999999999", null), 404, null),
            ("unknown order cancel", customer.Client, Raw(HttpMethod.Post, "/api/orders/999999999/cancel", null), 404, null),
            ("bad order cursor", customer.Client, Raw(HttpMethod.Get, "/api/orders?cursor=%27%3B--", null), 400, "cursor"),
            ("cart unknown article", customer.Client, Raw(HttpMethod.Put, "/api/cart/items/999999999", """{"quantity": 1}"""), 404, null),
            ("cart zero", customer.Client, Raw(HttpMethod.Put, $"/api/cart/items/{article}", """{"quantity": 0}"""), 400, "quantity"),
            ("cart wrong type", customer.Client, Raw(HttpMethod.Put, $"/api/cart/items/{article}", """{"quantity": true}"""), 400, "quantity"),
            ("search price not a number", anonymous, Raw(HttpMethod.Get, "/api/products?minPrice=abc", null), 400, "minPrice"),
            ("search negative price", anonymous, Raw(HttpMethod.Get, "/api/products?maxPrice=-1", null), 400, "maxPrice"),
            ("search limit", anonymous, Raw(HttpMethod.Get, "/api/products?limit=100000", null), 400, "limit"),
            ("search sort", anonymous, Raw(HttpMethod.Get, "/api/products?sort=name;DROP TABLE product", null), 400, "sort"),
            ("search cursor", anonymous, Raw(HttpMethod.Get, "/api/products?cursor=not-a-cursor", null), 400, "cursor"),
            ("search season", anonymous, Raw(HttpMethod.Get, "/api/products?season=' OR 1=1 --", null), 400, "season"),
            ("search too long", anonymous, Raw(HttpMethod.Get, $"/api/products?q={new string('a', 300)}", null), 400, "q"),
            ("unknown product", anonymous, Raw(HttpMethod.Get, "/api/products/999999999", null), 404, null),
            ("non-numeric product", anonymous, Raw(HttpMethod.Get, "/api/products/abc", null), 404, null),
            ("reviews of unknown product", anonymous, Raw(HttpMethod.Get, "/api/products/999999999/reviews", null), 404, null),
            ("review page size", anonymous, Raw(HttpMethod.Get, $"/api/products/{product}/reviews?pageSize=0", null), 400, "pageSize"),
            ("review rating", customer.Client, Raw(HttpMethod.Post, $"/api/products/{product}/reviews", $$"""{"articleId": {{article}}, "rating": 9}"""), 400, "rating"),
            ("review not bought", customer.Client, Raw(HttpMethod.Post, $"/api/products/{product}/reviews", $$"""{"articleId": {{article}}, "rating": 4}"""), 403, null),
            ("events unknown type", anonymous, Raw(HttpMethod.Post, "/api/events", $$"""{"sessionId": "{{session}}", "events": [{"type": "hack", "articleId": {{article}}}]}"""), 400, "events[0].type"),
            ("events unknown article", anonymous, Raw(HttpMethod.Post, "/api/events", $$"""{"sessionId": "{{session}}", "events": [{"type": "view", "articleId": 999999999}]}"""), 400, "events[0].articleId"),
            ("events bad session", anonymous, Raw(HttpMethod.Post, "/api/events", $$"""{"sessionId": "x'; DROP TABLE event; --", "events": []}"""), 400, "sessionId"),
            ("events future", anonymous, Raw(HttpMethod.Post, "/api/events", $$"""{"sessionId": "{{session}}", "events": [{"type": "view", "articleId": {{article}}, "occurredAt": "2999-01-01T00:00:00Z"}]}"""), 400, "events[0].occurredAt"),
            ("events too many", anonymous, Raw(HttpMethod.Post, "/api/events", tooManyEvents), 400, "events"),
            ("events huge", anonymous, Raw(HttpMethod.Post, "/api/events", hugeEvents), 413, null),
            ("register bad email", anonymous, Raw(HttpMethod.Post, "/api/accounts/register", """{"email": "' OR 1=1 --", "password": "x"}"""), 400, "email"),
            ("login wrong type", anonymous, Raw(HttpMethod.Post, "/api/accounts/login", """{"email": 5, "password": []}"""), 400, "email"),
            ("stock below zero", admin.Client, Raw(HttpMethod.Put, $"/api/admin/articles/{article}/stock", """{"delta": -1000}"""), 409, "delta"),
            ("stock both fields", admin.Client, Raw(HttpMethod.Put, $"/api/admin/articles/{article}/stock", """{"delta": 1, "stock": 3}"""), 400, "stock"),
            ("article unknown product", admin.Client, Raw(HttpMethod.Post, "/api/admin/articles", """{"productId": 999999999, "articleCode": "X-1", "price": 1}"""), 422, "productId"),
            ("article negative price", admin.Client, Raw(HttpMethod.Post, "/api/admin/articles", $$"""{"productId": {{product}}, "articleCode": "X-2", "price": -5}"""), 400, "price"),
            ("campaign window", admin.Client, Raw(HttpMethod.Post, "/api/admin/campaigns", $$"""{"name": "bad {{store.Tag}}", "kind": "email", "startsAt": "2026-02-01T00:00:00Z", "endsAt": "2026-01-01T00:00:00Z"}"""), 400, "endsAt"),
            ("campaign kind", admin.Client, Raw(HttpMethod.Post, "/api/admin/campaigns", $$"""{"name": "bad {{store.Tag}}", "kind": "spam", "startsAt": "2026-01-01T00:00:00Z", "endsAt": "2026-02-01T00:00:00Z"}"""), 400, "kind"),
            ("report range", admin.Client, Raw(HttpMethod.Get, "/api/admin/reports/daily-revenue?from=2026-02-01&to=2026-01-01", null), 400, "to"),
            ("report date type", admin.Client, Raw(HttpMethod.Get, "/api/admin/reports/daily-revenue?from=yesterday", null), 400, "from"),
            ("unknown campaign summary", admin.Client, Raw(HttpMethod.Get, "/api/admin/campaigns/999999999/summary", null), 404, null),
        ];
        var failures = new List<string>();
        foreach (var (name, client, request, status, field) in cases)
        {
            using var response = await client.SendAsync(request, ct);
            try { await ApiHost.AssertProblemAsync(response, status, field); }
            catch (Exception ex) { failures.Add($"{name}: {ex.Message}"); }
            request.Dispose();
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // SQL-looking search text is just text: answered, and the tables are intact.
        foreach (var q in new[] { "'; DROP TABLE product; --", "boot & | ! ( ) :* <->", "\\\" OR 1=1", "%_%" })
        {
            using var response = await anonymous.GetAsync($"/api/products?q={Uri.EscapeDataString(q)}", ct);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }
        Assert.True(await store.ScalarAsync<long>("SELECT count(*) FROM product") > 0);

        // Nothing was written.
        Assert.Equal(0, await store.ScalarAsync<int>("SELECT count(*) FROM orders WHERE customer_id = @c", ("c", customer.CustomerId)));
        Assert.Equal(5, await store.ScalarAsync<int>("SELECT stock FROM article WHERE article_id = @a", ("a", article)));
        Assert.Equal(0, await store.ScalarAsync<int>("SELECT count(*) FROM event WHERE session_id = @s", ("s", session)));
        Assert.Equal(0, await store.ScalarAsync<int>("SELECT count(*) FROM cart_line WHERE customer_id = @c", ("c", customer.CustomerId)));
        Assert.Equal(0, await store.ScalarAsync<int>("SELECT count(*) FROM campaign WHERE name LIKE @n", ("n", $"bad {store.Tag}%")));
        Assert.Equal(1, await store.ScalarAsync<int>("SELECT count(*) FROM article WHERE product_id = @p", ("p", product)));
        Assert.Equal(0, await store.ScalarAsync<int>("SELECT count(*) FROM idempotency_key WHERE user_id = @u", ("u", customer.UserId)));
        customer.Client.Dispose();
        admin.Client.Dispose();
    }

    public void Dispose() => _api.Dispose();
}
