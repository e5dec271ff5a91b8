using Atelier.Services.Recommendations;
using Microsoft.AspNetCore.Diagnostics;

namespace Atelier.Web.Api;

/// <summary>No model in production yet → 503 with a problem body that says what to run.</summary>
internal sealed class RecsExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not RecsNotReadyException) return false;
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = 503, Title = "Recommendations are not ready", Detail = exception.Message },
        });
    }
}
