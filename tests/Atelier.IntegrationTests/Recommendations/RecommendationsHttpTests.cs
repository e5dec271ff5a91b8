using System.Net;
using System.Net.Http.Json;
using Atelier.IntegrationTests.Api;
using Atelier.IntegrationTests.Infrastructure;
using Atelier.Services.Accounts;
using Atelier.Services.Recommendations;
using Microsoft.Extensions.DependencyInjection;

namespace Atelier.IntegrationTests.Recommendations;

public sealed class RecommendationsHttpTests(PostgresFixture pg) : IDisposable
{
    private readonly ApiHost _host = new(pg);

    private sealed record Item(long ArticleId, string ProductType, string Reason);
    private sealed record ListDto(string Model, int Version, List<Item> Items);

    /// <summary>
    /// A small store where dress buyers (aged 22) buy dresses together and jeans buyers (aged 68) buy jeans together;
    /// the served model is trained on this store's customers only, not on the rest of the shared test database.
    /// </summary>
    private async Task<(long[] Dresses, long[] Jeans, long DressBuyer)> BuildStoreAsync()
    {
        var store = new StoreBuilder(pg.DataSource);
        var category = await store.CategoryAsync("Women");
        var dressType = await store.ProductTypeAsync($"Dress{store.Tag}");
        var jeansType = await store.ProductTypeAsync($"Jeans{store.Tag}");
        var dresses = new long[6];
        var jeans = new long[6];
        for (var i = 0; i < dresses.Length; i++)
        {
            dresses[i] = await store.ArticleAsync(await store.ProductAsync(category, dressType, $"Dress {i}"), 30m, stock: 50);
            jeans[i] = await store.ArticleAsync(await store.ProductAsync(category, jeansType, $"Jeans {i}"), 40m, stock: 50);
        }
        var rng = new Random(5);
        long dressBuyer = 0;
        var customers = new List<long>();
        for (var c = 0; c < 24; c++)
        {
            var customer = await store.CustomerAsync();
            customers.Add(customer);
            await store.ExecAsync("UPDATE customer SET age = @a WHERE customer_id = @c", ("a", (short)(c % 2 == 0 ? 22 : 68)), ("c", customer));
            var pool = c % 2 == 0 ? dresses : jeans;
            if (c == 0) dressBuyer = customer;
            var picks = pool.OrderBy(_ => rng.Next()).Take(3).Select(a => (a, 1, 30m)).ToArray();
            await store.HistoricalOrderAsync(customer, DateTime.UtcNow.AddDays(-rng.Next(1, 20)), picks);
        }
        var engine = RecsEngine.Train(await RecsSnapshot.LoadAsync(pg.DataSource, CancellationToken.None, customers));
        _host.Factory.Services.GetRequiredService<RecommendationService>().Swap(engine, 9999);
        return (dresses, jeans, dressBuyer);
    }

    [Fact]
    public async Task ThreeViewsOfOneCategoryTurnTheSessionListTowardsIt()
    {
        var (dresses, jeans, _) = await BuildStoreAsync();
        using var client = _host.Anonymous();
        var ct = TestContext.Current.CancellationToken;

        async Task<List<Item>> SessionAsync(long[] viewed)
        {
            var response = await client.PostAsJsonAsync("/api/recommendations/session",
                new { events = viewed.Select(a => new { articleId = a, type = "view" }), n = 6 }, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<ListDto>(ct))!.Items;
        }

        var afterDresses = await SessionAsync(dresses[..3]);
        var afterJeans = await SessionAsync(jeans[..3]);
        var dressSet = dresses.ToHashSet();
        var dressShareAfterDresses = afterDresses.Count(i => dressSet.Contains(i.ArticleId));
        var dressShareAfterJeans = afterJeans.Count(i => dressSet.Contains(i.ArticleId));
        Assert.True(dressShareAfterDresses >= 3, $"only {dressShareAfterDresses} of 6 were dresses after 3 dress views");
        Assert.True(dressShareAfterDresses > dressShareAfterJeans);
        Assert.DoesNotContain(afterDresses, i => Array.IndexOf(dresses, i.ArticleId) is >= 0 and < 3);   // already seen in this session
        Assert.All(afterDresses, i => Assert.False(string.IsNullOrWhiteSpace(i.Reason)));
    }

    [Fact]
    public async Task CustomerSimilarAndOutfitEndpointsAnswerWithReasonsAndRespectStock()
    {
        var (dresses, jeans, buyer) = await BuildStoreAsync();
        using var client = _host.Anonymous();
        var ct = TestContext.Current.CancellationToken;

        // Anonymous: 401; another customer: 404; staff: the list.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/api/recommendations/customers/{buyer}", ct)).StatusCode);
        var store = new StoreBuilder(pg.DataSource);
        var other = await _host.UserAsync(store);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync($"/api/recommendations/customers/{buyer}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.Client.GetAsync($"/api/recommendations/customers/{other.CustomerId}", ct)).StatusCode);
        var seller = await _host.UserAsync(store, AtelierRoles.Seller);
        var forCustomer = await seller.Client.GetFromJsonAsync<ListDto>($"/api/recommendations/customers/{buyer}?n=5", ct);
        Assert.NotNull(forCustomer);
        Assert.Equal(5, forCustomer.Items.Count);
        Assert.All(forCustomer.Items, i => Assert.False(string.IsNullOrWhiteSpace(i.Reason)));

        var similar = await client.GetFromJsonAsync<ListDto>($"/api/recommendations/articles/{dresses[0]}/similar?n=3", ct);
        Assert.NotNull(similar);
        Assert.NotEmpty(similar.Items);
        Assert.DoesNotContain(similar.Items, i => i.ArticleId == dresses[0]);

        // Sold out → gone from every list within the availability refresh (5 s), no retraining.
        var top = similar.Items[0].ArticleId;
        var customersTop = forCustomer.Items[0].ArticleId;
        await new StoreBuilder(pg.DataSource).ExecAsync("UPDATE article SET stock = 0 WHERE article_id = ANY(@a)", ("a", new[] { top, customersTop }));
        await Task.Delay(TimeSpan.FromSeconds(5.5), ct);
        var again = await client.GetFromJsonAsync<ListDto>($"/api/recommendations/articles/{dresses[0]}/similar?n=3", ct);
        Assert.DoesNotContain(again!.Items, i => i.ArticleId == top);
        // The customer's list is memoised per model version; stock still applies at read time.
        var customerAgain = await seller.Client.GetFromJsonAsync<ListDto>($"/api/recommendations/customers/{buyer}?n=5", ct);
        Assert.DoesNotContain(customerAgain!.Items, i => i.ArticleId == customersTop);
        Assert.Equal(5, customerAgain.Items.Count);

        var unknown = await client.GetAsync("/api/recommendations/articles/987654321/similar", ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var bad = await seller.Client.GetAsync($"/api/recommendations/customers/{buyer}?n=1000", ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("\"n\"", await bad.Content.ReadAsStringAsync(ct));
        _ = jeans;
    }

    [Fact]
    public async Task SimilarStylesAreAlternativesOfTheSameGroupIncludingANewArrivalNeverComplements()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new StoreBuilder(pg.DataSource);
        var category = await store.CategoryAsync("Women");
        var dressType = await store.ProductTypeAsync($"Dress{store.Tag}");
        var jeansType = await store.ProductTypeAsync($"Jeans{store.Tag}");
        async Task<long> ArticleAsync(int type, string name, string description)
        {
            var product = await store.ProductAsync(category, type, name);
            await store.ExecAsync("UPDATE product SET description = @d WHERE product_id = @p", ("d", description), ("p", product));
            return await store.ArticleAsync(product, 30m, stock: 20);
        }
        var wrap = await ArticleAsync(dressType, "Wrap dress Ada", "Linen wrap dress with puff sleeves");
        var bodycon = await ArticleAsync(dressType, "Bodycon dress Kit", "Jersey bodycon dress");
        var newWrap = await ArticleAsync(dressType, "Wrap dress Mira", "Linen wrap dress with short puff sleeves"); // nobody bought it yet
        var jeans = await ArticleAsync(jeansType, "Slim jeans Oslo", "Stretch denim slim jeans");
        var customers = new List<long>();
        for (var c = 0; c < 8; c++)
        {
            var customer = await store.CustomerAsync();
            customers.Add(customer);
            // The wrap dress sells with the jeans (an outfit) and, for some, with the bodycon dress.
            await store.HistoricalOrderAsync(customer, DateTime.UtcNow.AddDays(-1 - c),
                c % 2 == 0 ? [(wrap, 1, 30m), (jeans, 1, 30m)] : [(wrap, 1, 30m), (bodycon, 1, 30m), (jeans, 1, 30m)]);
        }
        var engine = RecsEngine.Train(await RecsSnapshot.LoadAsync(pg.DataSource, ct, customers));
        _host.Factory.Services.GetRequiredService<RecommendationService>().Swap(engine, 9998);
        using var client = _host.Anonymous();

        var similar = (await client.GetFromJsonAsync<ListDto>($"/api/recommendations/articles/{wrap}/similar?n=6", ct))!.Items;

        Assert.Equal(2, similar.Count);
        Assert.DoesNotContain(similar, i => i.ArticleId == jeans); // bought with it most often, but a complement
        var arrival = Assert.Single(similar, i => i.ArticleId == newWrap);
        Assert.Equal("similar to Wrap dress Ada", arrival.Reason);
        Assert.Contains("bought by", Assert.Single(similar, i => i.ArticleId == bodycon).Reason);
        // The jeans are where complete the look puts them.
        var outfit = (await client.GetFromJsonAsync<ListDto>($"/api/recommendations/articles/{wrap}/outfit?n=6", ct))!.Items;
        Assert.Contains(outfit, i => i.ArticleId == jeans);
    }

    [Fact]
    public async Task ANewCustomerWithoutPurchasesGetsTheFavouritesOfTheirAgeBand()
    {
        var (dresses, jeans, _) = await BuildStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var store = new StoreBuilder(pg.DataSource);
        var seller = await _host.UserAsync(store, AtelierRoles.Seller);

        // Registered after the model was trained, never bought: the model does not know them, their age is read per request.
        async Task<List<Item>> NewCustomerAsync(short? age)
        {
            var customer = await store.CustomerAsync();
            if (age is { } a) await store.ExecAsync("UPDATE customer SET age = @a WHERE customer_id = @c", ("a", a), ("c", customer));
            var items = await CustomerListAsync(seller, customer, 4);
            Assert.Equal(4, items.Count);
            return items;
        }

        var young = await NewCustomerAsync(24);
        var old = await NewCustomerAsync(71);
        var unknown = await NewCustomerAsync(null);
        int Dresses(List<Item> items) => items.Count(i => dresses.Contains(i.ArticleId));
        int Jeans(List<Item> items) => items.Count(i => jeans.Contains(i.ArticleId));
        Assert.True(Dresses(young) >= 3, $"24-year-old: {Dresses(young)} of 4 dresses");
        Assert.True(Jeans(old) >= 3, $"71-year-old: {Jeans(old)} of 4 jeans");
        // Without an age: the one list for customers without history, the same for everyone.
        Assert.Equal(unknown.Select(i => i.ArticleId), (await NewCustomerAsync(null)).Select(i => i.ArticleId));
        Assert.NotEqual(young.Select(i => i.ArticleId), old.Select(i => i.ArticleId));
    }

    [Fact]
    public async Task ACustomersListFollowsWhatTheyLookedAtInTheNextRequest()
    {
        var (dresses, jeans, dressBuyer) = await BuildStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var store = new StoreBuilder(pg.DataSource);
        var seller = await _host.UserAsync(store, AtelierRoles.Seller);
        Task<List<Item>> ListAsync() => CustomerListAsync(seller, dressBuyer, 8);
        int Jeans(List<Item> items) => items.Count(i => jeans.Contains(i.ArticleId));

        var before = await ListAsync();
        // The dress buyer, signed in, now looks at three pairs of jeans and buys one: the shop's tracking posts the events.
        var shopper = await _host.UserAsync(store, AtelierRoles.Customer, dressBuyer);
        var session = Guid.NewGuid();
        var tracked = await shopper.Client.PostAsJsonAsync("/api/events", new
        {
            sessionId = session,
            events = new object[]
            {
                new { type = "view", articleId = jeans[0] }, new { type = "view", articleId = jeans[1] },
                new { type = "view", articleId = jeans[2] }, new { type = "purchase", articleId = jeans[0] },
            },
        }, ct);
        Assert.Equal(HttpStatusCode.Accepted, tracked.StatusCode);

        var after = await ListAsync();
        Assert.Contains(after, i => i.ArticleId == jeans[2] && i.Reason == "you looked at this recently");
        Assert.DoesNotContain(after, i => i.ArticleId == jeans[0] && i.Reason == "you looked at this recently"); // bought since
        Assert.Contains(after, i => Array.IndexOf(jeans, i.ArticleId) >= 3 && i.Reason.StartsWith("because you looked at jeans", StringComparison.Ordinal));
        string Show(List<Item> items) => string.Join("; ", items.Select(i => $"{(jeans.Contains(i.ArticleId) ? "jeans" : "dress")} {i.Reason}"));
        Assert.True(after.Count(i => dresses.Contains(i.ArticleId)) >= 2, $"the customer's own taste is gone: {Show(before)} -> {Show(after)}");
        Assert.True(Jeans(after) >= Jeans(before) + 2, $"jeans {Jeans(before)} -> {Jeans(after)}: {Show(before)} -> {Show(after)}");
        Assert.Equal(8, after.Count);
    }

    [Fact]
    public async Task TheShopPicksForASignedInCustomerAndFollowsTheProductPagesTheyOpen()
    {
        var (_, jeans, dressBuyer) = await BuildStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var store = new StoreBuilder(pg.DataSource);
        var shopper = await _host.UserAsync(store, AtelierRoles.Customer, dressBuyer);
        using var browser = await Pages.CookieLogin.SignInAsync(_host, shopper.Email, null, ct);
        using var anonymous = _host.Anonymous();

        Assert.DoesNotContain("Picked for you", await anonymous.GetStringAsync("/", ct));
        var before = await browser.GetStringAsync("/", ct);
        Assert.Contains("Picked for you", before);
        Assert.DoesNotContain("you looked at this recently", before);

        // Opening a product page is tracked as a view for a signed-in customer; the shop's picks follow on the next page.
        var jeansProduct = await store.ScalarAsync<long>("SELECT product_id FROM article WHERE article_id = @a", ("a", jeans[4]));
        using (var page = await browser.GetAsync($"/products/{jeansProduct}", ct)) Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(1L, await store.ScalarAsync<long>(
            "SELECT count(*) FROM event WHERE customer_id = @c AND event_type = 'view' AND article_id = @a", ("c", dressBuyer), ("a", jeans[4])));
        var after = await browser.GetStringAsync("/", ct);
        Assert.Contains("you looked at this recently", after);
        Assert.Contains("because you looked at jeans", after);
        // Anonymous visitors are not tracked.
        using (var page = await anonymous.GetAsync($"/products/{jeansProduct}", ct)) Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(1L, await store.ScalarAsync<long>("SELECT count(*) FROM event WHERE article_id = @a", ("a", jeans[4])));
    }

    /// <summary>A customer's list as staff see it through the API.</summary>
    private static async Task<List<Item>> CustomerListAsync(ApiUser staff, long customer, int n) =>
        (await staff.Client.GetFromJsonAsync<ListDto>($"/api/recommendations/customers/{customer}?n={n}", TestContext.Current.CancellationToken))!.Items;

    public void Dispose() => _host.Dispose();
}
