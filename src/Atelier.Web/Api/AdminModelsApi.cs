using System.Security.Claims;
using Atelier.Services.Accounts;
using Atelier.Services.Models;
using Atelier.Services.Recommendations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atelier.Web.Api;

public sealed record PromoteRequest(bool? Force);

/// <summary>The recommender in the model registry: versions, runs, promotion and rollback, retraining on demand.</summary>
internal static class AdminModelsApi
{
    public static IEndpointRouteBuilder MapAdminModelsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup($"/api/admin/models/{RecommendationService.ModelName}").WithTags("Admin")
            .RequireAuthorization(AtelierRoles.StaffPolicy);
        g.MapGet("/", Overview).WithName("RecommenderModels")
            .WithSummary("Served and production versions, every version's hold-out figures and stage, the latest runs, the nightly batch");
        g.MapGet("/drift", Drift).WithName("RecommenderDrift")
            .WithSummary("How far the store moved since the served version was trained: mix and price PSI, unknown articles, live MAP@12 (refresh = true recomputes; else cached 10 min)");
        g.MapPost("/versions/{version:int}/promote", Promote).WithName("PromoteRecommender")
            .WithSummary("Promote a version through the gate; force = true skips the gate (rollback to an archived version) (admin)")
            .RequireAuthorization(AtelierRoles.AdminPolicy);
        g.MapPost("/retrain", Retrain).WithName("RetrainRecommender")
            .WithSummary("Retrain now in the background (hold-out evaluation, new version, promotion through the gate) (admin)")
            .RequireAuthorization(AtelierRoles.AdminPolicy);
        return app;
    }

    public static async Task<Ok<RecsModelsDto>> Overview(RecsAdmin admin, CancellationToken ct) => TypedResults.Ok(await admin.OverviewAsync(ct));

    public static async Task<Results<Ok<RecsDriftDto>, ProblemHttpResult>> Drift(RecsDrift drift, CancellationToken ct, bool refresh = false) =>
        await drift.CurrentAsync(refresh, ct) is { } d ? TypedResults.Ok(d)
            : TypedResults.Problem(statusCode: 404, title: "No version served", detail: "no recommendation model is served yet: run './atelier train recs'");

    public static async Task<Results<Ok<PromotionResult>, ProblemHttpResult>> Promote(int version, PromoteRequest? body, RecsAdmin admin,
        ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await admin.PromoteAsync(version, body?.Force ?? false, user.FindFirstValue(ClaimTypes.Email), ct);
        if (result is null)
            return TypedResults.Problem(statusCode: 404, title: "No such version", detail: $"{RecommendationService.ModelName} v{version} does not exist");
        return result.Promoted ? TypedResults.Ok(result)
            : TypedResults.Problem(statusCode: 409, title: "Rejected by the promotion gate", detail: result.Reason);
    }

    public static Results<Accepted<RecsRetrainStatus>, ProblemHttpResult> Retrain(RecsAdmin admin, RecsRetrainJob job) =>
        admin.StartRetraining()
            ? TypedResults.Accepted($"/api/admin/models/{RecommendationService.ModelName}", job.Status)
            : TypedResults.Problem(statusCode: 409, title: "Already retraining", detail: "a retraining started on this server is still running");
}
