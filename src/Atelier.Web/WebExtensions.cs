using System.Text.Json.Serialization;
using Atelier.Web.Api;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Atelier.Web;

internal static class WebExtensions
{
    public static IHostApplicationBuilder AddAtelierWeb(this IHostApplicationBuilder builder)
    {
        var s = builder.Services;
        s.AddProblemDetails();
        s.AddExceptionHandler<RecsExceptionHandler>();
        s.AddExceptionHandler<ApiExceptionHandler>();
        s.AddHostedService<Atelier.Services.Recommendations.RecsModelWatcher>();
        s.AddSingleton(TimeProvider.System);
        s.AddSingleton<Atelier.Services.Recommendations.RecsRetrainJob>().AddSingleton<Atelier.Services.Recommendations.RecsAdmin>();
        s.AddSingleton<Atelier.Services.Recommendations.RecsDrift>();
        s.AddHostedService<Atelier.Services.Recommendations.NightlyRecsBatch>();
        s.AddHostedService<Atelier.Services.Insights.NightlyInsights>();
        s.AddSingleton<Atelier.Services.Hosting.PrometheusExporter>(_ => new Atelier.Services.Hosting.PrometheusExporter());
        s.AddRazorPages();
        s.AddOpenApi();
        s.AddAtelierSecurity(builder.Configuration);
        // Unreadable bodies and parameters reach ApiExceptionHandler, which names the offending field.
        s.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        s.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict; // "5" is not a number
            o.SerializerOptions.MaxDepth = 16;
        });
        s.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = ApiRequestLimits.EventBytes);
        return builder;
    }

    public static WebApplication UseAtelierWeb(this WebApplication app)
    {
        // Listening starts now, so /metrics counts from the first request rather than from its first scrape.
        _ = app.Services.GetRequiredService<Atelier.Services.Hosting.PrometheusExporter>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(async (ctx, next) =>
        {
            var h = ctx.Response.Headers;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "strict-origin-when-cross-origin";
            h["Cross-Origin-Opener-Policy"] = "same-origin";
            h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            // Swagger UI needs inline scripts and styles; every other page gets the strict policy.
            h.ContentSecurityPolicy = ctx.Request.Path.StartsWithSegments("/api/docs")
                ? "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'"
                : "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'";
            if (ctx.Request.Path.StartsWithSegments("/api")) h.CacheControl = "no-store";
            await next();
        });
        app.UseApiRequestLimits();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResponseWriter = HealthResponse.WriteAsync,
        });
        app.MapMetrics();
        app.MapOpenApi("/api/openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "api/docs";
            o.SwaggerEndpoint("/api/openapi/v1.json", "Atelier API v1");
            o.DocumentTitle = "Atelier API";
        });
        app.MapCatalogApi()
            .MapAccountsApi()
            .MapCartApi()
            .MapOrdersApi()
            .MapReviewsApi()
            .MapEventsApi()
            .MapAdminArticlesApi()
            .MapAdminReportsApi()
            .MapAdminCampaignsApi()
            .MapAdminUsersApi()
            .MapAdminModelsApi()
            .MapForecastsApi();
        app.MapRecommendationsApi();
        app.MapInsightsApi();
        app.MapRazorPages();
        return app;
    }
}
