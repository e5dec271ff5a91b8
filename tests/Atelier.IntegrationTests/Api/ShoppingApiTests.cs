using System.Net;
using System.Net.Http.Json;
using Atelier.IntegrationTests.Infrastructure;

namespace Atelier.IntegrationTests.Api;

/// <summary>Cart → order → history → review → cancel, and anonymous events merged at login.</summary>
public sealed class ShoppingApiTests(PostgresFixture pg) : IDisposable
{
    private readonly ApiHost _api = new(pg);

    [Fact]
    public async Task CartBecomesAnOrderThatCanBeReviewedOnceAndCancelled()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new StoreBuilder(pg.DataSource);
        var product = await store.ProductAsync(await store.CategoryAsync(), await store.ProductTypeAsync());
        var a1 = await store.ArticleAsync(product, 20.00m, stock: 5, size: "S");
        var a2 = await store.ArticleAsync(product, 7.25m, stock: 5, size: "M");
        var user = await _api.UserAsync(store);
        var c = user.Client;

        (await c.PutAsJsonAsync($"/api/cart/items/{a1}", new { quantity = 2 }, ct)).Dispose();
        using (var put = await c.PutAsJsonAsync($"/api/cart/items/{a2}", new { quantity = 1 }, ct))
        {
            var cart = await ApiHost.JsonAsync(put);
            Assert.Equal(3, cart.GetProperty("units").GetInt32());
            Assert.Equal(47.25m, cart.GetProperty("total").GetDecimal());
        }
        using var place = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(new { }), Headers = { { "Idempotency-Key", "cart-1" } } };
        using var placed = await c.SendAsync(place, ct);
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var order = await ApiHost.JsonAsync(placed);
        var orderId = order.GetProperty("orderId").GetInt64();
        Assert.Equal(47.25m, order.GetProperty("total").GetDecimal());
        Assert.Equal($"/api/orders/{orderId}", placed.Headers.Location?.OriginalString);
        using (var cart = await c.GetAsync("/api/cart", ct))
            Assert.Equal(0, (await ApiHost.JsonAsync(cart)).GetProperty("units").GetInt32());
        // A retry of the cart order (the response was lost) replays it although the cart is now empty; a new key does not.
        using (var retry = await c.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(new { }), Headers = { { "Idempotency-Key", "cart-1" } } }, ct))
        {
            Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
            Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
            Assert.Equal(orderId, (await ApiHost.JsonAsync(retry)).GetProperty("orderId").GetInt64());
        }
        using (var empty = await c.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(new { }), Headers = { { "Idempotency-Key", "cart-2" } } }, ct))
            await ApiHost.AssertProblemAsync(empty, 409, "items");
        Assert.Equal(1L, await store.ScalarAsync<long>("SELECT count(*) FROM orders WHERE customer_id = @c", ("c", user.CustomerId)));
        using (var history = await c.GetAsync("/api/orders", ct))
            Assert.Equal(orderId, (await ApiHost.JsonAsync(history)).GetProperty("items")[0].GetProperty("orderId").GetInt64());

        using (var review = await c.PostAsJsonAsync($"/api/products/{product}/reviews", new { articleId = a1, rating = 4, title = "Good" }, ct))
            Assert.Equal(HttpStatusCode.Created, review.StatusCode);
        using (var again = await c.PostAsJsonAsync($"/api/products/{product}/reviews", new { articleId = a1, rating = 2 }, ct))
            await ApiHost.AssertProblemAsync(again, 409);
        using (var list = await c.GetAsync($"/api/products/{product}/reviews?pageSize=10", ct))
        {
            var page = await ApiHost.JsonAsync(list);
            Assert.Equal(1, page.GetProperty("total").GetInt64());
            Assert.True(page.GetProperty("items")[0].GetProperty("verifiedPurchase").GetBoolean());
        }

        using (var cancel = await c.PostAsync($"/api/orders/{orderId}/cancel", null, ct))
            Assert.Equal("cancelled", (await ApiHost.JsonAsync(cancel)).GetProperty("status").GetString());
        Assert.Equal(5, await store.ScalarAsync<int>("SELECT stock FROM article WHERE article_id = @a", ("a", a1)));
        using (var twice = await c.PostAsync($"/api/orders/{orderId}/cancel", null, ct))
            await ApiHost.AssertProblemAsync(twice, 409);

        // Outside the window: refused, nothing changes.
        var old = await store.ScalarAsync<long>("SELECT place_order(@c, @i::jsonb)", ("c", user.CustomerId), ("i", $$"""[{"article_id": {{a2}}, "quantity": 1}]"""));
        await store.ExecAsync("UPDATE orders SET placed_at = now() - interval '2 hours' WHERE order_id = @o", ("o", old));
        using (var late = await c.PostAsync($"/api/orders/{old}/cancel", null, ct))
            await ApiHost.AssertProblemAsync(late, 409);
        Assert.Equal("paid", await store.ScalarAsync<string>("SELECT status FROM orders WHERE order_id = @o", ("o", old)));
    }

    [Fact]
    public async Task AnonymousEventsAreMergedIntoTheCustomerAtLogin()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new StoreBuilder(pg.DataSource);
        var product = await store.ProductAsync(await store.CategoryAsync(), await store.ProductTypeAsync());
        var article = await store.ArticleAsync(product, 9m, stock: 5);
        var session = Guid.NewGuid();
        using var anonymous = _api.Anonymous();
        using (var r = await anonymous.PostAsJsonAsync("/api/events", new
        {
            sessionId = session,
            events = new object[] { new { type = "view", articleId = article }, new { type = "cart", articleId = article }, new { type = "recommendation_click", articleId = article } },
        }, ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
            Assert.Equal(3, (await ApiHost.JsonAsync(r)).GetProperty("accepted").GetInt32());
        }
        Assert.Equal(3, await store.ScalarAsync<int>("SELECT count(*) FROM event WHERE session_id = @s AND customer_id IS NULL", ("s", session)));
        Assert.Equal(1, await store.ScalarAsync<int>("SELECT count(*) FROM event WHERE session_id = @s AND event_type = 'add_to_cart'", ("s", session)));

        var user = await _api.UserAsync(store);
        using (var login = await anonymous.PostAsJsonAsync("/api/accounts/login", new { email = user.Email, password = user.Password, sessionId = session }, ct))
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(3, await store.ScalarAsync<int>("SELECT count(*) FROM event WHERE session_id = @s AND customer_id = @c", ("s", session), ("c", user.CustomerId)));

        // Later anonymous events of the linked session belong to the customer too.
        using (var r = await anonymous.PostAsJsonAsync("/api/events", new { sessionId = session, events = new[] { new { type = "purchase", articleId = article } } }, ct))
            Assert.True((await ApiHost.JsonAsync(r)).GetProperty("attributedToCustomer").GetBoolean());
        Assert.Equal(4, await store.ScalarAsync<int>("SELECT count(*) FROM event WHERE session_id = @s AND customer_id = @c", ("s", session), ("c", user.CustomerId)));
    }

    public void Dispose() => _api.Dispose();
}
