using Atelier.Services.Accounts;
using Atelier.Services.Api;
using Atelier.Services.Insights;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atelier.Web.Api;

/// <summary>Stored customer and review insights (computed by <c>atelier analyze</c>): segments and 360 for staff, review insights for all.</summary>
internal static class InsightsApi
{
    public static IEndpointRouteBuilder MapInsightsApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").WithTags("Insights").RequireAuthorization(AtelierRoles.StaffPolicy);
        admin.MapGet("/reviews/aspects", GetCategoryAspects).WithName("GetCategoryReviewAspects")
            .WithSummary("Review sentiment, size & fit and aspect counts per category and month (subcategories included)");
        admin.MapGet("/segments", GetSegments).WithName("GetCustomerSegments")
            .WithSummary("Customer segments (k-means on RFM) with sizes, profiles and names, and the RFM group counts");
        admin.MapGet("/customers/{id:long}/360", GetCustomer360).WithName("GetCustomer360")
            .WithSummary("One customer: segment, RFM group, churn risk, CLV, P(alive), next order date and last orders");
        app.MapGet("/api/products/{productId:long}/reviews/insights", GetProductReviewInsights).WithTags("Insights", "Reviews")
            .WithName("GetProductReviewInsights").WithSummary("Rating summary, aspect summary and size & fit advice of a product")
            .AllowAnonymous();
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<CategoryAspectMonthDto>>, ValidationProblem>> GetCategoryAspects(InsightQueries insights,
        CancellationToken ct, int? categoryId = null, int months = 12)
    {
        var v = new Validation()
            .Require(categoryId is null or > 0, "categoryId", "a positive category id")
            .Require(months is >= 1 and <= 120, "months", "between 1 and 120");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        return TypedResults.Ok(await insights.CategoryAspectsAsync(categoryId, months, ct));
    }

    public static async Task<Ok<SegmentsDto>> GetSegments(InsightQueries insights, CancellationToken ct) =>
        TypedResults.Ok(await insights.SegmentsAsync(ct));

    public static async Task<Results<Ok<Customer360Dto>, NotFound, ValidationProblem>> GetCustomer360(long id, InsightQueries insights, CancellationToken ct)
    {
        var v = new Validation().Require(id > 0, "id", "a positive customer id");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        return await insights.Customer360Async(id, ct) is { } dto ? TypedResults.Ok(dto) : TypedResults.NotFound();
    }

    public static async Task<Results<Ok<ProductReviewInsightsDto>, NotFound, ValidationProblem>> GetProductReviewInsights(long productId,
        InsightQueries insights, CancellationToken ct)
    {
        var v = new Validation().Require(productId > 0, "productId", "a positive product id");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        return await insights.ProductReviewsAsync(productId, ct) is { } dto ? TypedResults.Ok(dto) : TypedResults.NotFound();
    }
}
