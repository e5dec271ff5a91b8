using System.Security.Cryptography;
using System.Text;
using Atelier.Services.Hosting;

namespace Atelier.Web.Api;

/// <summary>
/// <c>GET /metrics</c>: Prometheus text format (<see cref="PrometheusExporter"/>). Scrapers on the same host are let in;
/// from elsewhere, <c>Atelier:Metrics:Token</c> must be set and sent as <c>Authorization: Bearer …</c> (a metrics
/// endpoint tells order counts and revenue, so it is never open to the internet by default).
/// </summary>
internal static class MetricsEndpoint
{
    public const string TokenSetting = "Atelier:Metrics:Token";

    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", (HttpContext ctx, PrometheusExporter exporter, IConfiguration config) =>
        {
            if (!Allowed(ctx, config[TokenSetting]))
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Metrics are not public",
                    detail: $"scrape from the server itself, or set {TokenSetting} and send it as 'Authorization: Bearer <token>'");
            return Results.Text(exporter.Scrape(), "text/plain; version=0.0.4; charset=utf-8");
        }).ExcludeFromDescription().DisableRateLimiting();
        return app;
    }

    private static bool Allowed(HttpContext ctx, string? token)
    {
        if (!string.IsNullOrEmpty(token))
        {
            var header = ctx.Request.Headers.Authorization.ToString();
            const string Bearer = "Bearer ";
            return header.StartsWith(Bearer, StringComparison.Ordinal) &&
                   CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[Bearer.Length..]), Encoding.UTF8.GetBytes(token));
        }
        return ctx.Connection.RemoteIpAddress is { } ip && System.Net.IPAddress.IsLoopback(ip);
    }
}
