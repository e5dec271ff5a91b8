using Atelier.Web.Api;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Atelier.Web;

internal static class WebExtensions
{
    public static IHostApplicationBuilder AddAtelierWeb(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<RecsExceptionHandler>();
        builder.Services.AddHostedService<Atelier.Services.Recommendations.RecsModelWatcher>();
        builder.Services.AddRazorPages();
        builder.Services.AddOpenApi();
        return builder;
    }

    public static WebApplication UseAtelierWeb(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(async (ctx, next) =>
        {
            var h = ctx.Response.Headers;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "strict-origin-when-cross-origin";
            h.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'";
            await next();
        });
        app.UseStaticFiles();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResponseWriter = HealthResponse.WriteAsync,
        });
        app.MapOpenApi("/api/openapi/{documentName}.json");
        app.MapRecommendationsApi();
        app.MapRazorPages();
        return app;
    }
}
