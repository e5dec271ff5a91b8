using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Atelier.IntegrationTests.Api;
using Atelier.IntegrationTests.Infrastructure;
using Atelier.Services.Accounts;
using Atelier.Services.Recommendations;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Atelier.IntegrationTests.Pages;

/// <summary>Buying through the server-rendered shop: add to bag, the bag, checkout once, the order, cancellation.</summary>
public sealed partial class CheckoutPagesTests(PostgresFixture pg) : IDisposable
{
    private readonly ApiHost _api = new(pg);

    private static string S(long v) => v.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task ACustomerPutsAVariantInTheBagChecksOutExactlyOnceAndCancels()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new StoreBuilder(pg.DataSource);
        var product = await store.ProductAsync(await store.CategoryAsync(), await store.ProductTypeAsync("Coat"), $"Wool coat {store.Tag}");
        var small = await store.ArticleAsync(product, 120m, stock: 3, size: "S");
        var large = await store.ArticleAsync(product, 120m, stock: 0, size: "L");
        var shopper = await _api.UserAsync(store);
        var seller = await _api.UserAsync(store, AtelierRoles.Seller);

        // Anonymous visitors are asked to sign in; staff have no bag; a customer gets a button for the variant in stock only.
        using (var anonymous = _api.Factory.CreateClient())
            Assert.Contains("Sign in to buy", await anonymous.GetStringAsync($"/products/{product}", ct));
        using (var staff = await CookieLogin.SignInAsync(_api, seller.Email, null, ct))
            Assert.DoesNotContain("Add to bag", await staff.GetStringAsync($"/products/{product}", ct));
        using var client = await CookieLogin.SignInAsync(_api, shopper.Email, null, ct);
        var page = await client.GetStringAsync($"/products/{product}", ct);
        Assert.Single(AddToBag().Matches(page));
        Assert.Contains($"name=\"articleId\" value=\"{small}\"", page);
        Assert.DoesNotContain($"name=\"articleId\" value=\"{large}\"", page);

        for (var i = 0; i < 2; i++)
        {
            using var add = await client.PostAsync($"/products/{product}?handler=Add", CookieLogin.Form(page, ("articleId", S(small))), ct);
            Assert.Equal(HttpStatusCode.Redirect, add.StatusCode);
            Assert.Equal("/cart", add.Headers.Location?.OriginalString);
        }
        // An article that is not a variant of this product is refused.
        using (var foreign = await client.PostAsync($"/products/{product}?handler=Add", CookieLogin.Form(page, ("articleId", "999999999")), ct))
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(2L, await store.ScalarAsync<long>(
            "SELECT count(*) FROM event WHERE customer_id = @c AND event_type = 'add_to_cart' AND article_id = @a", ("c", shopper.CustomerId), ("a", small)));

        var bag = await client.GetStringAsync("/cart", ct);
        Assert.Contains($"data-article=\"{small}\"", bag);
        Assert.Contains("name=\"quantity\" value=\"2\"", bag);
        Assert.Contains(">240.00<", bag);

        // More than there is: the bag says so, and checkout refuses with what is left; nothing is ordered.
        using (var tooMany = await client.PostAsync("/cart?handler=Quantity", CookieLogin.Form(bag, ("articleId", S(small)), ("quantity", "5")), ct))
            Assert.Equal(HttpStatusCode.Redirect, tooMany.StatusCode);
        bag = await client.GetStringAsync("/cart", ct);
        Assert.Contains("only 3 left", bag);
        using (var refused = await client.PostAsync("/cart?handler=Checkout", CookieLogin.Form(bag, ("key", Key(bag))), ct))
            Assert.Equal("/cart", refused.Headers.Location?.OriginalString);
        var after = await client.GetStringAsync("/cart", ct);
        Assert.Contains("requested 5, available 3", after);
        Assert.Equal(0L, await store.ScalarAsync<long>("SELECT count(*) FROM orders WHERE customer_id = @c", ("c", shopper.CustomerId)));

        // Two, then checkout twice with the same form (a double click): one order.
        using (var two = await client.PostAsync("/cart?handler=Quantity", CookieLogin.Form(after, ("articleId", S(small)), ("quantity", "2")), ct))
            Assert.Equal(HttpStatusCode.Redirect, two.StatusCode);
        bag = await client.GetStringAsync("/cart", ct);
        string? orderUrl = null;
        for (var i = 0; i < 2; i++)
        {
            using var checkout = await client.PostAsync("/cart?handler=Checkout", CookieLogin.Form(bag, ("key", Key(bag))), ct);
            Assert.Equal(HttpStatusCode.Redirect, checkout.StatusCode);
            Assert.StartsWith("/orders/", checkout.Headers.Location?.OriginalString);
            Assert.Equal(orderUrl ?? checkout.Headers.Location!.OriginalString, checkout.Headers.Location!.OriginalString);
            orderUrl = checkout.Headers.Location!.OriginalString;
        }
        Assert.Equal(1L, await store.ScalarAsync<long>("SELECT count(*) FROM orders WHERE customer_id = @c", ("c", shopper.CustomerId)));
        Assert.Equal(1, await store.ScalarAsync<int>("SELECT stock FROM article WHERE article_id = @a", ("a", small)));
        Assert.Contains("Your bag is empty", await client.GetStringAsync("/cart", ct));

        var order = await client.GetStringAsync(orderUrl!, ct);
        Assert.Contains("<strong>paid</strong>", order);
        Assert.Contains("your order is placed", order);
        Assert.Contains(">240.00<", order);
        Assert.Contains(orderUrl!, await client.GetStringAsync("/orders", ct));
        // Someone else's order does not exist for them.
        var other = await _api.UserAsync(store);
        using (var otherClient = await CookieLogin.SignInAsync(_api, other.Email, null, ct))
            Assert.Equal(HttpStatusCode.NotFound, (await otherClient.GetAsync(orderUrl, ct)).StatusCode);

        using (var cancel = await client.PostAsync($"{orderUrl}?handler=Cancel", CookieLogin.Form(order), ct))
            Assert.Equal(HttpStatusCode.Redirect, cancel.StatusCode);
        var cancelled = await client.GetStringAsync(orderUrl!, ct);
        Assert.Contains("<strong>cancelled</strong>", cancelled);
        Assert.DoesNotContain("Cancel order", cancelled);
        Assert.Equal(3, await store.ScalarAsync<int>("SELECT stock FROM article WHERE article_id = @a", ("a", small)));
        foreach (var u in new[] { shopper, seller, other }) u.Client.Dispose();
    }

    [Fact]
    public async Task TheBagSuggestsWhatCompletesTheLookFromOtherProductTypes()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new StoreBuilder(pg.DataSource);
        var category = await store.CategoryAsync();
        var tops = await store.ProductArticlesAsync(4, category, await store.ProductTypeAsync($"Top{store.Tag}"), "Top", 15m, stock: 30);
        var trousers = await store.ProductArticlesAsync(4, category, await store.ProductTypeAsync($"Trousers{store.Tag}"), "Trousers", 35m, stock: 30);
        var customers = new List<long>();
        for (var c = 0; c < 12; c++)
        {
            customers.Add(await store.CustomerAsync());
            await store.HistoricalOrderAsync(customers[^1], DateTime.UtcNow.AddDays(-1 - c), (tops[c % 4], 1, 15m), (trousers[c % 4], 1, 35m));
        }
        var engine = RecsEngine.Train(await RecsSnapshot.LoadAsync(pg.DataSource, ct, customers));
        _api.Factory.Services.GetRequiredService<RecommendationService>().Swap(engine, 9998);

        var shopper = await _api.UserAsync(store);
        await store.ExecAsync("INSERT INTO cart (customer_id) VALUES (@c)", ("c", shopper.CustomerId));
        await store.ExecAsync("INSERT INTO cart_line (customer_id, article_id, quantity) VALUES (@c, @a, 1)", ("c", shopper.CustomerId), ("a", tops[0]));
        using var client = await CookieLogin.SignInAsync(_api, shopper.Email, null, ct);
        var bag = await client.GetStringAsync("/cart", ct);
        Assert.Contains("Complete the look", bag);
        var rail = bag[bag.IndexOf("Complete the look", StringComparison.Ordinal)..];
        Assert.Contains("Trousers 0", rail);
        Assert.Contains("completes the look with Top 0", rail);
        Assert.DoesNotContain(">Top ", rail);

        // A click on the rail is a recommendation click; buying the clicked article within 7 days counts for the rail.
        var online = _api.Factory.Services.GetRequiredService<RecsAdmin>();
        var before = await online.OnlineAsync(ct);
        var link = RailLink().Match(rail);
        Assert.True(link.Success, "no tracked link on the bag's rail");
        var (clickedProduct, clickedArticle) = (long.Parse(link.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(link.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.Contains(clickedArticle, trousers);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/products/{clickedProduct}?rec=bag&a={clickedArticle}", ct)).StatusCode);
        Assert.Equal(1L, await store.ScalarAsync<long>(
            "SELECT count(*) FROM event WHERE customer_id = @c AND event_type = 'recommendation_click' AND article_id = @a", ("c", shopper.CustomerId), ("a", clickedArticle)));
        // Made-up sources or articles of other products are plain views.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/products/{clickedProduct}?rec=email&a={clickedArticle}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/products/{clickedProduct}?rec=bag&a={tops[0]}", ct)).StatusCode);
        Assert.Equal(1L, await store.ScalarAsync<long>(
            "SELECT count(*) FROM event WHERE customer_id = @c AND event_type = 'recommendation_click'", ("c", shopper.CustomerId)));
        var clickedOnly = await online.OnlineAsync(ct);
        Assert.True(clickedOnly.Clicks >= before.Clicks + 1 && clickedOnly.ClickedPairs >= before.ClickedPairs + 1, $"{before} → {clickedOnly}");
        await store.HistoricalOrderAsync(shopper.CustomerId!.Value, DateTime.UtcNow.AddSeconds(1), (clickedArticle, 2, 35m));
        var bought = await online.OnlineAsync(ct);
        Assert.True(bought.PairsBought >= clickedOnly.PairsBought + 1 && bought.Revenue >= clickedOnly.Revenue + 70m, $"{clickedOnly} → {bought}");

        // The same for any cart over the API (a headless storefront's own cart): never a type already in it.
        using var anonymous = _api.Anonymous();
        using (var outfit = await anonymous.PostAsJsonAsync("/api/recommendations/outfit", new { articleIds = new[] { tops[1], tops[2] }, n = 3 }, ct))
        {
            var body = await ApiHost.JsonAsync(outfit);
            Assert.Equal(9998, body.GetProperty("version").GetInt32());
            var items = body.GetProperty("items").EnumerateArray().ToList();
            Assert.InRange(items.Count, 1, 3);
            Assert.All(items, i => Assert.Contains(i.GetProperty("articleId").GetInt64(), trousers));
            Assert.All(items, i => Assert.Equal("completes the look with Top 1 and Top 2", i.GetProperty("reason").GetString()));
        }
        using (var both = await anonymous.PostAsJsonAsync("/api/recommendations/outfit", new { articleIds = new[] { tops[1], trousers[1] } }, ct))
            Assert.All((await ApiHost.JsonAsync(both)).GetProperty("items").EnumerateArray(),
                i => Assert.DoesNotContain(i.GetProperty("articleId").GetInt64(), tops.Concat(trousers)));
        await ApiHost.AssertProblemAsync(await anonymous.PostAsJsonAsync("/api/recommendations/outfit", new { articleIds = Array.Empty<long>() }, ct), 400, "articleIds");
        await ApiHost.AssertProblemAsync(await anonymous.PostAsJsonAsync("/api/recommendations/outfit", new { articleIds = new[] { -4L } }, ct), 400, "articleIds[0]");
        await ApiHost.AssertProblemAsync(await anonymous.PostAsJsonAsync("/api/recommendations/outfit",
            new { articleIds = Enumerable.Range(1, 51).Select(i => (long)i).ToArray() }, ct), 400, "articleIds");
        await ApiHost.AssertProblemAsync(await anonymous.PostAsJsonAsync("/api/recommendations/outfit", new { articleIds = new[] { tops[1] }, n = 0 }, ct), 400, "n");
        shopper.Client.Dispose();
    }

    [Fact]
    public async Task AShopperCreatesAnAccountFromTheSignInPageAndIsSignedInWhereTheyWere()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = _api.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var login = await client.GetStringAsync("/account/login?ReturnUrl=%2Fproducts%2F42", ct);
        Assert.Contains("href=\"/account/register?ReturnUrl=%2Fproducts%2F42\"", login);

        var form = await client.GetStringAsync("/account/register?ReturnUrl=%2Fproducts%2F42", ct);
        var email = $"new-{Guid.NewGuid():N}@example.test";
        // Every field wrong at once: each one says what is wrong, and nothing is created.
        using (var bad = await client.PostAsync("/account/register", CookieLogin.Form(form, ("FullName", " "), ("Email", "not-an-email"), ("Password", "short"), ("ReturnUrl", "/products/42")), ct))
        {
            Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
            var html = await bad.Content.ReadAsStringAsync(ct);
            foreach (var field in new[] { "fullName", "email", "password" }) Assert.Contains($"id=\"error-{field}\"", html);
        }
        using (var ok = await client.PostAsync("/account/register", CookieLogin.Form(form, ("FullName", "Noor Shopper"), ("Email", email), ("Password", ApiHost.Password), ("ReturnUrl", "/products/42")), ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
            Assert.Equal("/products/42", ok.Headers.Location?.OriginalString);
        }
        // Signed in as a customer (the cookie came with the redirect): the bag is theirs.
        var store = new StoreBuilder(pg.DataSource);
        Assert.Equal(1L, await store.ScalarAsync<long>("SELECT count(*) FROM app_user WHERE email = @e AND role = 'customer' AND customer_id IS NOT NULL", ("e", email)));
        using (var bag = await client.GetAsync("/cart", ct))
        {
            Assert.Equal(HttpStatusCode.OK, bag.StatusCode);
            Assert.Contains("Your bag is empty", await bag.Content.ReadAsStringAsync(ct));
        }

        // The same email again, from another browser: refused on the email field, still one account.
        using var other = _api.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var again = await other.GetStringAsync("/account/register", ct);
        using (var taken = await other.PostAsync("/account/register", CookieLogin.Form(again, ("FullName", "Someone"), ("Email", email), ("Password", ApiHost.Password)), ct))
            Assert.Contains("already exists", await taken.Content.ReadAsStringAsync(ct));
        Assert.Equal(1L, await store.ScalarAsync<long>("SELECT count(*) FROM app_user WHERE email = @e", ("e", email)));
    }

    private static string Key(string html) => CheckoutKey().Match(html).Groups[1].Value;

    [GeneratedRegex("name=\"key\" value=\"([0-9a-f]+)\"")]
    private static partial Regex CheckoutKey();

    [GeneratedRegex("href=\"/products/([0-9]+)\\?rec=bag&amp;a=([0-9]+)\"")]
    private static partial Regex RailLink();

    [GeneratedRegex(">Add to bag<")]
    private static partial Regex AddToBag();

    public void Dispose() => _api.Dispose();
}
