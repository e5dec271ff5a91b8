using System.Net;
using System.Text.Json;
using Atelier.IntegrationTests.Infrastructure;

namespace Atelier.IntegrationTests.Api;

public sealed class CatalogApiTests(PostgresFixture pg) : IDisposable
{
    private readonly ApiHost _api = new(pg);

    private async Task<JsonElement> GetAsync(HttpClient client, string url)
    {
        using var r = await client.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return await ApiHost.JsonAsync(r);
    }

    [Fact]
    public async Task SearchFiltersSortsAndPagesWithoutGapsOrDuplicates()
    {
        var store = new StoreBuilder(pg.DataSource);
        var root = await store.CategoryAsync("Women");
        var child = await store.CategoryAsync("Knitwear", root);
        var type = await store.ProductTypeAsync("Sweater");
        var word = $"zq{store.Tag}"; // a token only this test's products contain
        var ids = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            var p = await store.ProductAsync(i % 2 == 0 ? child : root, type, $"Cable {word} sweater {i}");
            await store.ArticleAsync(p, 10m + i, stock: i == 3 ? 0 : 4, size: "M");
            ids.Add(p);
        }
        using var client = _api.Anonymous();

        var all = await GetAsync(client, $"/api/products?q={word}&limit=100");
        Assert.Equal(7, all.GetProperty("items").GetArrayLength());

        // Keyset pages of 3 by ascending price: every product exactly once, in price order.
        var seen = new List<decimal>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await GetAsync(client, $"/api/products?q={word}&sort=price_asc&limit=3" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("minPrice").GetDecimal()));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
            pages++;
        } while (cursor is not null && pages < 10);
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => 10m + i), seen);

        // Relevance paging (float keys) also visits all 7 once.
        var relevance = new HashSet<long>();
        cursor = null;
        do
        {
            var page = await GetAsync(client, $"/api/products?q={word}&limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            foreach (var x in page.GetProperty("items").EnumerateArray()) Assert.True(relevance.Add(x.GetProperty("productId").GetInt64()));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
        } while (cursor is not null);
        Assert.Equal(ids.ToHashSet(), relevance);

        Assert.Equal(6, (await GetAsync(client, $"/api/products?q={word}&inStock=true")).GetProperty("items").GetArrayLength());
        Assert.Equal(3, (await GetAsync(client, $"/api/products?q={word}&minPrice=12&maxPrice=14")).GetProperty("items").GetArrayLength());
        Assert.Equal(4, (await GetAsync(client, $"/api/products?q={word}&category={child}")).GetProperty("items").GetArrayLength());
        Assert.Equal(7, (await GetAsync(client, $"/api/products?q={word}&category={root}")).GetProperty("items").GetArrayLength()); // includes subcategories
        Assert.Equal(7, (await GetAsync(client, $"/api/products?q={word}&type={type}")).GetProperty("items").GetArrayLength());
        var desc = (await GetAsync(client, $"/api/products?q={word}&sort=price_desc&limit=1")).GetProperty("items")[0];
        Assert.Equal(16m, desc.GetProperty("minPrice").GetDecimal());
    }

    [Fact]
    public async Task DetailShowsVariantsStockAndRatingsAndCategoriesFormATree()
    {
        var store = new StoreBuilder(pg.DataSource);
        var root = await store.CategoryAsync("Men");
        var child = await store.CategoryAsync("Shirts", root);
        var product = await store.ProductAsync(child, await store.ProductTypeAsync("Shirt"), "Oxford shirt");
        var m = await store.ArticleAsync(product, 39.95m, stock: 3, size: "M");
        await store.ArticleAsync(product, 39.95m, stock: 0, size: "L");
        foreach (var stars in new short[] { 5, 4, 4 })
            await store.ExecAsync("INSERT INTO review (product_id, customer_id, rating) VALUES (@p, @c, @r)", ("p", product), ("c", await store.CustomerAsync()), ("r", stars));
        using var client = _api.Anonymous();

        var detail = await GetAsync(client, $"/api/products/{product}");
        Assert.Equal("Oxford shirt", detail.GetProperty("name").GetString());
        var variants = detail.GetProperty("variants").EnumerateArray().ToList();
        Assert.Equal(2, variants.Count);
        Assert.Contains(variants, v => v.GetProperty("articleId").GetInt64() == m && v.GetProperty("stock").GetInt32() == 3 && v.GetProperty("inStock").GetBoolean());
        Assert.Contains(variants, v => v.GetProperty("size").GetString() == "L" && !v.GetProperty("inStock").GetBoolean());
        Assert.Equal(39.95m, variants[0].GetProperty("price").GetDecimal());
        var rating = detail.GetProperty("rating");
        Assert.Equal(3, rating.GetProperty("count").GetInt32());
        Assert.Equal(4.33m, rating.GetProperty("average").GetDecimal());
        Assert.Equal([0, 0, 0, 2, 1], rating.GetProperty("distribution").EnumerateArray().Select(x => x.GetInt32()));

        var tree = await GetAsync(client, "/api/categories");
        var node = tree.EnumerateArray().Single(c => c.GetProperty("categoryId").GetInt32() == root);
        Assert.Equal(1, node.GetProperty("products").GetInt32());
        Assert.Equal(child, node.GetProperty("children")[0].GetProperty("categoryId").GetInt32());
    }

    [Fact]
    public async Task OpenApiDocumentAndSwaggerUiAreServed()
    {
        using var client = _api.Anonymous();
        var doc = await GetAsync(client, "/api/openapi/v1.json");
        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/orders", out _));
        using var ui = await client.GetAsync("/api/docs/index.html", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Equal("nosniff", ui.Headers.GetValues("X-Content-Type-Options").Single());
    }

    public void Dispose() => _api.Dispose();
}
