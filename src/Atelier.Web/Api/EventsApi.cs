using System.Security.Claims;
using Atelier.Services.Events;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atelier.Web.Api;

/// <summary>Behavioural event tracking (anonymous or signed in).</summary>
internal static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/events").WithTags("Events").AllowAnonymous()
            .MapPost("/", TrackEvents).WithName("TrackEvents")
            .WithSummary("Record a batch (≤ 500) of view / cart / remove_from_cart / purchase / recommendation_click events");
        return app;
    }

    public static async Task<Results<Accepted<EventBatchAccepted>, ValidationProblem>> TrackEvents(EventBatch? body, ClaimsPrincipal user,
        EventIngest ingest, CancellationToken ct)
    {
        var v = EventIngest.Validate(body, DateTimeOffset.UtcNow);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var refs = await ingest.CheckReferencesAsync(body!, ct);
        if (!refs.IsValid) return TypedResults.ValidationProblem(refs.Errors);
        return TypedResults.Accepted((string?)null, await ingest.WriteAsync(body!, user.CustomerIdOrNull(), ct));
    }
}
