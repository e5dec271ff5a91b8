using Atelier.Services.Accounts;
using Atelier.Services.Admin;
using Atelier.Services.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atelier.Web.Api;

/// <summary>Article and stock maintenance (sellers and admins).</summary>
internal static class AdminArticlesApi
{
    public static IEndpointRouteBuilder MapAdminArticlesApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/admin/articles").WithTags("Admin").RequireAuthorization(AtelierRoles.StaffPolicy);
        g.MapGet("/", ListArticles).WithName("ListArticles").WithSummary("Articles of a product (?productId=)");
        g.MapGet("/{articleId:long}", GetArticle).WithName("GetArticle").WithSummary("One article");
        g.MapPost("/", CreateArticle).WithName("CreateArticle").WithSummary("Add an article (variant) to a product");
        g.MapPut("/{articleId:long}", UpdateArticle).WithName("UpdateArticle").WithSummary("Change price, reorder level, active flag");
        g.MapPut("/{articleId:long}/stock", SetStock).WithName("SetStock").WithSummary("Set the stock level or adjust it by a delta");
        g.MapDelete("/{articleId:long}", DeleteArticle).WithName("DeleteArticle").WithSummary("Take an article off sale (deactivate)");
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<ArticleDto>>, ValidationProblem>> ListArticles(ArticleAdmin articles, CancellationToken ct, long? productId = null)
    {
        if (productId is not > 0) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["productId"] = ["a product id is required"] });
        return TypedResults.Ok(await articles.ListAsync(productId.Value, ct));
    }

    public static async Task<Results<Ok<ArticleDto>, NotFound>> GetArticle(long articleId, ArticleAdmin articles, CancellationToken ct) =>
        await articles.GetAsync(articleId, ct) is { } a ? TypedResults.Ok(a) : TypedResults.NotFound();

    public static async Task<Results<Created<ArticleDto>, ValidationProblem>> CreateArticle(CreateArticleRequest body, ArticleAdmin articles, CancellationToken ct)
    {
        var v = new Validation()
            .Require(body.ProductId is > 0, "productId", "required")
            .Require(body.ArticleCode is { Length: >= 1 and <= 40 } && body.ArticleCode.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'),
                "articleCode", "1-40 letters, digits, '-' or '_'")
            .Require(body.Size is null || body.Size.Length is >= 1 and <= 20, "size", "1-20 characters")
            .Require(body.Price is >= 0 and < 100_000_000m, "price", "required, 0 or more")
            .Require(body.Stock is null or >= 0, "stock", "must not be negative")
            .Require(body.ReorderLevel is null or >= 0, "reorderLevel", "must not be negative");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var a = await articles.CreateAsync(body, ct);
        return TypedResults.Created($"/api/admin/articles/{a.ArticleId}", a);
    }

    public static async Task<Results<Ok<ArticleDto>, NotFound, ValidationProblem>> UpdateArticle(long articleId, UpdateArticleRequest body, ArticleAdmin articles, CancellationToken ct)
    {
        var v = new Validation()
            .Require(body.Price is null or >= 0 and < 100_000_000m, "price", "0 or more")
            .Require(body.ReorderLevel is null or >= 0, "reorderLevel", "must not be negative");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        return await articles.UpdateAsync(articleId, body, ct) is { } a ? TypedResults.Ok(a) : TypedResults.NotFound();
    }

    public static async Task<Results<Ok<ArticleDto>, NotFound, ValidationProblem>> SetStock(long articleId, StockRequest body, ArticleAdmin articles, CancellationToken ct)
    {
        var v = new Validation()
            .Require(body.Stock is null != body.Delta is null, "stock", "give exactly one of stock or delta")
            .Require(body.Stock is null or >= 0, "stock", "must not be negative")
            .Require(body.Delta is null or >= -1_000_000 and <= 1_000_000, "delta", "between -1000000 and 1000000");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        return await articles.SetStockAsync(articleId, body, ct) is { } a ? TypedResults.Ok(a) : TypedResults.NotFound();
    }

    public static async Task<Results<NoContent, NotFound>> DeleteArticle(long articleId, ArticleAdmin articles, CancellationToken ct) =>
        await articles.DeactivateAsync(articleId, ct) ? TypedResults.NoContent() : TypedResults.NotFound();
}
