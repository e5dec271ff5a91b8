using Atelier.Services.Models;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Atelier.Services.Recommendations;

/// <summary>
/// Part of <c>/health/ready</c>: healthy when this server serves the registry's production version of the recommender;
/// degraded (still HTTP 200: the shop works, recommendation lists answer 503) while it has none yet, or is still
/// loading or swapping to it after a start or a promotion.
/// </summary>
public sealed class RecommenderHealthCheck(ModelRegistry registry, RecommendationService service) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var production = await registry.ProductionVersionAsync(RecommendationService.ModelName, cancellationToken);
        var served = service.Version;
        var data = new Dictionary<string, object>();
        if (production is { } p) data["production_version"] = p;
        if (served is { } s) data["served_version"] = s;
        return (production, served) switch
        {
            (null, null) => HealthCheckResult.Degraded("no recommender version in production yet ('./atelier train recs')", data: data),
            (null, { } s2) => HealthCheckResult.Healthy($"serving v{s2} (nothing in production in the registry)", data),
            ({ } p2, null) => HealthCheckResult.Degraded($"loading production v{p2}", data: data),
            ({ } p3, { } s3) when p3 == s3 => HealthCheckResult.Healthy($"serving production v{p3}", data),
            ({ } p4, { } s4) => HealthCheckResult.Degraded($"serving v{s4}, loading production v{p4}", data: data),
        };
    }
}
