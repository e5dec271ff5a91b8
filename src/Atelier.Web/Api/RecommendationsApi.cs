using System.Security.Claims;
using Atelier.Services.Accounts;
using Atelier.Services.Recommendations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atelier.Web.Api;

public sealed record RecommendationList(string Model, int Version, IReadOnlyList<RecommendedArticle> Items);

public sealed record SessionEvent(long ArticleId, string? Type);

public sealed record SessionRecommendationRequest(IReadOnlyList<SessionEvent>? Events, int? N);

public sealed record OutfitRequest(IReadOnlyList<long>? ArticleIds, int? N);

/// <summary>Recommendations: per customer, similar items, complete-the-outfit, and for a live browsing session.</summary>
internal static class RecommendationsApi
{
    private const int MaxN = 100;
    private const int MaxSessionEvents = 50;

    public static RouteGroupBuilder MapRecommendationsApi(this IEndpointRouteBuilder app)
    {
        // A constant response on the same pipeline: the baseline the recommendation endpoint is benchmarked against.
        app.MapGet("/api/ping", () => TypedResults.Ok(new { status = "ok" })).WithName("Ping").WithTags("Health").ExcludeFromDescription();
        var group = app.MapGroup("/api/recommendations").WithTags("Recommendations");
        group.MapGet("/customers/{customerId:long}", ForCustomerAsync).WithName("RecommendForCustomer")
            .WithSummary("Top-N articles for a customer (hybrid two-stage ranker), each with its reason. Customers see only their own; staff see anyone's.")
            .RequireAuthorization();
        group.MapGet("/articles/{articleId:long}/similar", SimilarAsync).WithName("SimilarArticles")
            .WithSummary("Articles bought by the same customers (item-kNN).");
        group.MapGet("/articles/{articleId:long}/outfit", OutfitAsync).WithName("CompleteTheOutfit")
            .WithSummary("Complementary articles from other product types.");
        group.MapPost("/outfit", CartOutfitAsync).WithName("CompleteTheOutfitForACart")
            .WithSummary("Complementary articles for a whole cart: other product types than any in it, learnt from same-basket purchases.");
        group.MapPost("/session", SessionAsync).WithName("RecommendForSession")
            .WithSummary("Recommendations for a browsing session from its recent events (session item-kNN).");
        return group;
    }

    private static async Task<Results<Ok<RecommendationList>, NotFound, ValidationProblem>> ForCustomerAsync(
        long customerId, ClaimsPrincipal user, RecommendationService recs, CancellationToken ct,
        int n = 12, int? category = null, bool excludePurchased = false, int maxPerProduct = 2)
    {
        // Another customer's recommendations reveal their purchases: answer as if they did not exist.
        var staff = user.IsInRole(AtelierRoles.Seller) || user.IsInRole(AtelierRoles.Admin);
        if (!staff && user.CustomerIdOrNull() != customerId) return TypedResults.NotFound();
        if (Invalid(n, out var problem)) return problem;
        if (maxPerProduct is < 0 or > MaxN)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["maxPerProduct"] = ["must be between 0 (no cap) and 100"] });
        var (items, version) = await recs.ForCustomerAsync(customerId, new RecsRequest(n, excludePurchased, category, maxPerProduct), ct);
        return TypedResults.Ok(new RecommendationList(RecommendationService.ModelName, version, items));
    }

    private static async Task<Results<Ok<RecommendationList>, NotFound<string>, ValidationProblem>> SimilarAsync(
        long articleId, RecommendationService recs, CancellationToken ct, int n = 12)
    {
        if (Invalid(n, out var problem)) return problem;
        var (items, version) = await recs.SimilarAsync(articleId, n, ct);
        if (!recs.Knows(articleId)) return TypedResults.NotFound($"article {articleId} is not known to the model");
        return TypedResults.Ok(new RecommendationList(RecommendationService.ModelName, version, items));
    }

    private static async Task<Results<Ok<RecommendationList>, NotFound<string>, ValidationProblem>> OutfitAsync(
        long articleId, RecommendationService recs, CancellationToken ct, int n = 6)
    {
        if (Invalid(n, out var problem)) return problem;
        var (items, version) = await recs.OutfitAsync([articleId], n, ct);
        if (!recs.Knows(articleId)) return TypedResults.NotFound($"article {articleId} is not known to the model");
        return TypedResults.Ok(new RecommendationList(RecommendationService.ModelName, version, items));
    }

    private static async Task<Results<Ok<RecommendationList>, ValidationProblem>> CartOutfitAsync(
        OutfitRequest request, RecommendationService recs, CancellationToken ct)
    {
        var n = request.N ?? 6;
        if (Invalid(n, out var problem)) return problem;
        var ids = request.ArticleIds ?? [];
        if (ids.Count is 0 or > MaxSessionEvents)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["articleIds"] = [$"between 1 and {MaxSessionEvents} article ids"] });
        for (var i = 0; i < ids.Count; i++)
            if (ids[i] <= 0)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [$"articleIds[{i}]"] = ["must be a positive article id"] });
        // Articles the model does not know (new since training) are left out; a cart of only those gets an empty list.
        var (items, version) = await recs.OutfitAsync(ids, n, ct);
        return TypedResults.Ok(new RecommendationList(RecommendationService.ModelName, version, items));
    }

    private static async Task<Results<Ok<RecommendationList>, ValidationProblem>> SessionAsync(
        SessionRecommendationRequest request, RecommendationService recs, CancellationToken ct)
    {
        var n = request.N ?? 12;
        if (Invalid(n, out var problem)) return problem;
        var events = request.Events ?? [];
        if (events.Count > MaxSessionEvents)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["events"] = [$"at most {MaxSessionEvents} events"] });
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].ArticleId <= 0)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [$"events[{i}].articleId"] = ["must be a positive article id"] });
            if (events[i].Type is { } t && t is not ("view" or "add_to_cart" or "remove_from_cart" or "purchase" or "recommendation_click"))
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [$"events[{i}].type"] = [$"unknown event type '{t}'"] });
        }
        // Items removed from the cart say nothing about taste; everything else does.
        var recent = events.Where(e => e.Type != "remove_from_cart").Select(e => e.ArticleId).ToList();
        var (items, version) = await recs.ForSessionAsync(recent, n, ct);
        return TypedResults.Ok(new RecommendationList(RecommendationService.ModelName, version, items));
    }

    private static bool Invalid(int n, out ValidationProblem problem)
    {
        problem = TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["n"] = [$"must be between 1 and {MaxN}"] });
        return n is < 1 or > MaxN;
    }
}
