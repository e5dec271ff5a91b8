namespace Atelier.Services.Catalog;

public enum ProductSort { Relevance, PriceAsc, PriceDesc, Newest, Name }

/// <summary>Search and filter parameters of <c>GET /api/products</c> (already validated).</summary>
public sealed record ProductQuery(
    string? Text, int? CategoryId, int? ProductTypeId, int? ColourId, decimal? MinPrice, decimal? MaxPrice,
    string? Season, bool InStock, ProductSort Sort, int Limit, string? Cursor);

public sealed record ProductSummary(
    long ProductId, string Name, string ProductType, int CategoryId, string Category, string? Season,
    decimal MinPrice, decimal MaxPrice, int Stock, int Variants);

public sealed record VariantDto(long ArticleId, string ArticleCode, string? Colour, string Size, decimal Price, int Stock, bool InStock);

public sealed record RatingSummary(int Count, decimal? Average, IReadOnlyList<int> Distribution);

public sealed record ProductDetail(
    long ProductId, string ProductCode, string Name, string? Description, string ProductType, int CategoryId,
    string Category, string? Season, IReadOnlyList<VariantDto> Variants, RatingSummary Rating);

public sealed record CategoryNode(int CategoryId, string Name, string Slug, int Products, IReadOnlyList<CategoryNode> Children);
