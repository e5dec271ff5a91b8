using System.Security.Claims;
using Atelier.Services.Accounts;
using Atelier.Services.Api;
using Atelier.Services.Reviews;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atelier.Web.Api;

/// <summary>Product reviews: anyone reads; customers write, for articles they bought, once per article.</summary>
internal static class ReviewsApi
{
    public static IEndpointRouteBuilder MapReviewsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/products/{productId:long}/reviews").WithTags("Reviews");
        g.MapGet("/", ListReviews).WithName("ListReviews").WithSummary("Reviews of a product, newest first").AllowAnonymous();
        g.MapPost("/", CreateReview).WithName("CreateReview").WithSummary("Review a purchased article of this product")
            .RequireAuthorization(AtelierRoles.CustomerPolicy);
        return app;
    }

    public static async Task<Results<Ok<NumberedPage<ReviewDto>>, NotFound, ValidationProblem>> ListReviews(long productId, ReviewService reviews,
        CancellationToken ct, int page = 1, int pageSize = 20)
    {
        var v = new Validation()
            .Require(page is >= 1 and <= 10_000, "page", "between 1 and 10000")
            .Require(pageSize is >= 1 and <= 100, "pageSize", "between 1 and 100");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        return await reviews.ListAsync(productId, page, pageSize, ct) is { } p ? TypedResults.Ok(p) : TypedResults.NotFound();
    }

    public static async Task<Results<Created<ReviewDto>, NotFound, ValidationProblem>> CreateReview(long productId, CreateReviewRequest body,
        ClaimsPrincipal user, ReviewService reviews, CancellationToken ct)
    {
        var v = new Validation()
            .Require(body.ArticleId is > 0, "articleId", "the article (variant) you bought is required")
            .Require(body.Rating is >= 1 and <= 5, "rating", "a whole number from 1 to 5")
            .Require(body.Title is null || body.Title.Length <= 200, "title", "at most 200 characters")
            .Require(body.Body is null || body.Body.Length <= 5000, "body", "at most 5000 characters");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var review = await reviews.CreateAsync(user.CustomerId(), productId, body.ArticleId!.Value, body.Rating!.Value,
            body.Title?.Trim(), body.Body?.Trim(), body.Recommended, ct);
        return review is null ? TypedResults.NotFound() : TypedResults.Created($"/api/products/{productId}/reviews/{review.ReviewId}", review);
    }
}
