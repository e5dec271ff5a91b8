using Atelier.Services.Api;
using Atelier.Services.Catalog;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atelier.Web.Api;

/// <summary>Public catalogue: product search, product detail, category tree.</summary>
internal static class CatalogApi
{
    private static readonly string[] Seasons = ["spring", "summer", "autumn", "winter", "all"];

    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var products = app.MapGroup("/api/products").WithTags("Catalogue").AllowAnonymous();
        products.MapGet("/", SearchProducts).WithName("SearchProducts")
            .WithSummary("Full-text search with filters, sorting and keyset pagination");
        products.MapGet("/{productId:long}", GetProduct).WithName("GetProduct")
            .WithSummary("A product with its variants, stock and rating summary");
        app.MapGroup("/api/categories").WithTags("Catalogue").AllowAnonymous()
            .MapGet("/", GetCategories).WithName("GetCategories").WithSummary("The category tree with product counts");
        return app;
    }

    public static async Task<Results<Ok<Page<ProductSummary>>, ValidationProblem>> SearchProducts(
        ProductSearch search, CancellationToken ct, string? q = null, int? category = null, int? type = null, int? colour = null,
        decimal? minPrice = null, decimal? maxPrice = null, string? season = null, bool inStock = false, string? sort = null,
        int limit = 24, string? cursor = null)
    {
        var hasText = !string.IsNullOrWhiteSpace(q);
        var v = new Validation()
            .Require(q is null || q.Length <= 200, "q", "at most 200 characters")
            .Require(limit is >= 1 and <= 100, "limit", "between 1 and 100")
            .Require(minPrice is null or >= 0, "minPrice", "must not be negative")
            .Require(maxPrice is null or >= 0, "maxPrice", "must not be negative")
            .Require(minPrice is null || maxPrice is null || minPrice <= maxPrice, "maxPrice", "must be at least minPrice")
            .Require(season is null || Seasons.Contains(season), "season", $"one of: {string.Join(", ", Seasons)}")
            .Require(ProductSearch.TryParseSort(sort, hasText, out var order), "sort",
                hasText ? "one of: relevance, price_asc, price_desc, newest, name" : "one of: price_asc, price_desc, newest, name (relevance needs q)");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var page = await search.SearchAsync(new ProductQuery(hasText ? q!.Trim() : null, category, type, colour, minPrice, maxPrice, season,
            inStock, order, limit, cursor), ct);
        if (page is null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cursor"] = ["not a cursor returned by this search"] });
        return TypedResults.Ok(page);
    }

    public static async Task<Results<Ok<ProductDetail>, NotFound>> GetProduct(long productId, CatalogService catalog, CancellationToken ct) =>
        await catalog.ProductAsync(productId, ct) is { } p ? TypedResults.Ok(p) : TypedResults.NotFound();

    public static async Task<Ok<IReadOnlyList<CategoryNode>>> GetCategories(CatalogService catalog, CancellationToken ct) =>
        TypedResults.Ok(await catalog.CategoriesAsync(ct));
}
