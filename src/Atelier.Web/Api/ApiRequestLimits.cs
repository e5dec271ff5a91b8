using Microsoft.AspNetCore.Http.Features;

namespace Atelier.Web.Api;

/// <summary>
/// Request body limits for the API: 64 KB by default, 1 MB for event batches. Bodies that declare a larger size are
/// refused with 413 before they are read; Kestrel enforces the same limit on bodies streamed without a length.
/// </summary>
internal static class ApiRequestLimits
{
    public const long DefaultBytes = 64 * 1024;
    public const long EventBytes = 1024 * 1024;

    public static IApplicationBuilder UseApiRequestLimits(this IApplicationBuilder app) => app.Use(async (ctx, next) =>
    {
        if (ctx.Request.Path.StartsWithSegments("/api"))
        {
            var limit = ctx.Request.Path.StartsWithSegments("/api/events") ? EventBytes : DefaultBytes;
            if (ctx.Request.ContentLength > limit)
            {
                ctx.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await ctx.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = ctx,
                    ProblemDetails = { Status = 413, Title = "Payload too large", Detail = $"this endpoint accepts at most {limit / 1024} KB" },
                });
                return;
            }
            if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
        }
        await next();
    });
}
