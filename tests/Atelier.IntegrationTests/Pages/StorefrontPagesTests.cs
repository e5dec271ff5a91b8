using System.Net;
using System.Text.RegularExpressions;
using Atelier.IntegrationTests.Api;
using Atelier.IntegrationTests.Infrastructure;
using Atelier.Services.Accounts;
using Atelier.Services.Reviews;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Atelier.IntegrationTests.Pages;

/// <summary>The server-rendered pages over HTTP: search, product page, sign-in with a cookie, the staff-only dashboard.</summary>
public sealed partial class StorefrontPagesTests(PostgresFixture pg) : IDisposable
{
    private readonly ApiHost _api = new(pg);

    [Fact]
    public async Task SearchFindsTheProductAndItsPageShowsVariantsRatingsAndSizeAdvice()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new StoreBuilder(pg.DataSource);
        var product = await store.ProductAsync(await store.CategoryAsync(), await store.ProductTypeAsync("Blazer"), $"Tailored blazer {store.Tag}");
        var inStock = await store.ArticleAsync(product, 89.90m, stock: 7, size: "S");
        var soldOut = await store.ArticleAsync(product, 89.90m, stock: 0, size: "XL");
        foreach (var (rating, text) in new[] { (4, "Runs small, order a size up."), (5, "Lovely, but it runs small."), (3, "Runs small across the back.") })
            await store.ExecAsync("INSERT INTO review (product_id, rating, title, body) VALUES (@p, @r, 'Blazer', @b)",
                ("p", product), ("r", (short)rating), ("b", text));
        await new ReviewInsightService(pg.DataSource).AnalyzeAsync(ct);

        using var client = _api.Factory.CreateClient();
        var search = await client.GetStringAsync($"/?q={store.Tag}", ct);
        Assert.Contains($"href=\"/products/{product}\"", search);
        Assert.Contains($"Tailored blazer {store.Tag}", search);
        var nothing = await client.GetStringAsync($"/?q=zz{Guid.NewGuid():N}", ct);
        Assert.Contains("Nothing matches this search", nothing);

        var page = await client.GetStringAsync($"/products/{product}", ct);
        var codes = await store.ScalarAsync<string>("SELECT string_agg(article_code, '|' ORDER BY article_id) FROM article WHERE article_id = ANY(@a)",
            ("a", new[] { inStock, soldOut }));
        foreach (var code in codes.Split('|')) Assert.Contains(code, page);
        Assert.Contains("sold out", page);
        Assert.Contains("7 in stock in 1 of 2 variants", page);
        Assert.Contains("<strong>4.0</strong> / 5 from 3 reviews", page);
        Assert.Matches(SizeAdvice(), page);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/products/999999999999", ct)).StatusCode);
        // Hostile input is just text: no error page, no SQL error.
        using var injected = await client.GetAsync("/?q=%27%3B%20DROP%20TABLE%20product%3B--&sort=name", ct);
        Assert.Equal(HttpStatusCode.OK, injected.StatusCode);
        Assert.Contains("Unknown sort order", await client.GetStringAsync("/?sort=cheapest", ct));
    }

    [Fact]
    public async Task DashboardIsForStaffAndSignInSetsTheCookie()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new StoreBuilder(pg.DataSource);
        var (category, type) = (await store.CategoryAsync(), await store.ProductTypeAsync());
        var product = await store.ProductAsync(category, type, $"Dashboard dress {store.Tag}");
        var article = await store.ArticleAsync(product, 50m, stock: 1, reorderLevel: 10);
        await store.HistoricalOrderAsync(await store.CustomerAsync(), DateTime.UtcNow.AddHours(-1), (article, 3, 50m));
        var soldOut = await store.ProductAsync(category, type, $"Sold-out dress {store.Tag}");
        await store.ArticleAsync(soldOut, 50m, stock: 0, reorderLevel: 10);

        using var anonymous = _api.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var challenge = await anonymous.GetAsync("/admin", ct);
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        Assert.StartsWith("/account/login?ReturnUrl=%2Fadmin", PathOf(challenge));

        var customer = await _api.UserAsync(store);
        using var asCustomer = await SignInAsync(customer.Email, "/admin", ct);
        using var denied = await asCustomer.GetAsync("/admin", ct);
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/account/denied", PathOf(denied));
        Assert.Equal(HttpStatusCode.Forbidden, (await asCustomer.GetAsync("/account/denied", ct)).StatusCode);

        using var wrong = _api.Factory.CreateClient();
        var failed = await PostLoginAsync(wrong, customer.Email, "not the password", null, ct);
        Assert.Contains("Unknown email or wrong password", await failed.Content.ReadAsStringAsync(ct));

        var seller = await _api.UserAsync(store, AtelierRoles.Seller);
        using var asSeller = await SignInAsync(seller.Email, null, ct);
        var html = await asSeller.GetStringAsync("/admin", ct);
        Assert.Contains("id=\"revenue-chart\"", html);
        Assert.Contains("id=\"kpis\"", html);
        Assert.Contains($"Dashboard dress {store.Tag}", html); // in the reorder list: stock 1 under reorder level 10
        // Nothing on hand reads "out of stock", not a probability of running out.
        string Row(string name) => Regex.Match(html, $"{name} {store.Tag}</a>.*?</tr>",
            RegexOptions.Singleline).Value;
        Assert.Contains("out of stock", Row("Sold-out dress"));
        Assert.DoesNotContain("out of stock", Row("Dashboard dress"));
        // The cookie is also what the API accepts from the browser; signing out clears it.
        Assert.Equal(HttpStatusCode.OK, (await asSeller.GetAsync("/api/accounts/me", ct)).StatusCode);
        var home = await asSeller.GetStringAsync("/", ct);
        using var logout = await asSeller.PostAsync("/account/login?handler=Logout",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = Token(home) }), ct);
        Assert.Equal(HttpStatusCode.Unauthorized, (await asSeller.GetAsync("/api/accounts/me", ct)).StatusCode);
    }

    [Fact]
    public async Task CustomerPagesShowTheStoredInsightsToStaffOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new StoreBuilder(pg.DataSource);
        var article = await store.ArticleAsync(await store.ProductAsync(await store.CategoryAsync(), await store.ProductTypeAsync()), 30m, stock: 10);
        var regular = await store.CustomerAsync();
        for (var d = 5; d < 200; d += 15) await store.HistoricalOrderAsync(regular, DateTime.UtcNow.AddDays(-d), (article, 1, 30m));
        await new Atelier.Services.Customers.CustomerInsightService(pg.DataSource).AnalyzeAsync(ct);
        var group = await store.ScalarAsync<string>("SELECT rfm_group FROM customer_insight WHERE customer_id = @c", ("c", regular));

        using var anonymous = _api.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync($"/admin/customers/{regular}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/admin/customers", ct)).StatusCode);

        var seller = await _api.UserAsync(store, AtelierRoles.Seller);
        using var staff = await SignInAsync(seller.Email, null, ct);
        var detail = await staff.GetStringAsync($"/admin/customers/{regular}", ct);
        Assert.Contains("id=\"customer-360\"", detail);
        Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(group), detail); // "Can't lose" is "Can&#x27;t lose" in HTML
        Assert.Contains("<strong>13</strong>", detail); // 13 orders
        var list = await staff.GetStringAsync($"/admin/customers?group={Uri.EscapeDataString(group)}&sort=recent", ct);
        Assert.Contains("id=\"customers\"", list);
        Assert.Equal(HttpStatusCode.BadRequest, (await staff.GetAsync("/admin/customers?sort=nonsense", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync("/admin/customers/999999999999", ct)).StatusCode);
    }

    [Fact]
    public async Task LoginFormWithoutAntiforgeryTokenIsRefused()
    {
        using var client = _api.Factory.CreateClient();
        using var response = await client.PostAsync("/account/login",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = "a@example.test", ["Password"] = "x" }),
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private Task<HttpClient> SignInAsync(string email, string? returnUrl, CancellationToken ct) => CookieLogin.SignInAsync(_api, email, returnUrl, ct);

    private static Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password, string? returnUrl, CancellationToken ct) =>
        CookieLogin.PostLoginAsync(client, email, password, returnUrl, ct);

    private static string PathOf(HttpResponseMessage redirect) =>
        redirect.Headers.Location is { IsAbsoluteUri: true } u ? u.PathAndQuery : redirect.Headers.Location!.OriginalString;

    private static string Token(string html) => CookieLogin.Token(html);

    [GeneratedRegex("id=\"size-advice\">[^<]*runs small[^<]*size up", RegexOptions.IgnoreCase)]
    private static partial Regex SizeAdvice();

    public void Dispose() => _api.Dispose();
}
