using System.Text.Json;
using Atelier.Services.Api;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Atelier.Web.Api;

/// <summary>
/// Maps the few expected failures to ProblemDetails: domain rules, PostgreSQL errors raised by the order functions
/// and constraints, and unreadable request bodies. Anything else stays a 500 (logged by the framework).
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var problem = exception switch
        {
            DomainException d => Problem(d.Kind switch
            {
                DomainErrorKind.Forbidden => 403,
                DomainErrorKind.Unprocessable => 422,
                _ => 409,
            }, d.Title, d.Message, d.Field),
            PostgresException pg => FromPostgres(pg),
            BadHttpRequestException bad => FromBadRequest(bad),
            OperationCanceledException when http.RequestAborted.IsCancellationRequested => null,
            _ => null,
        };
        if (problem is null)
        {
            if (http.RequestAborted.IsCancellationRequested)
            {
                http.Response.StatusCode = 499; // client went away: nothing to write
                return true;
            }
            return false;
        }
        if (problem.Status >= 500) log.LogWarning(exception, "database unavailable or busy");
        http.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails Problem(int status, string title, string detail, string? field = null)
    {
        if (field is null) return new ProblemDetails { Status = status, Title = title, Detail = detail };
        return new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [detail] }) { Status = status, Title = title, Detail = detail };
    }

    private static ProblemDetails? FromPostgres(PostgresException pg)
    {
        var p = pg.SqlState switch
        {
            "AT001" => Problem(409, "Insufficient stock", pg.MessageText),
            "AT002" => Problem(422, "Unknown article", pg.MessageText, "items"),
            "AT003" => Problem(400, "Invalid order", pg.MessageText, "items"),
            "AT004" => Problem(403, "No customer account", pg.MessageText),
            "AT005" => Problem(404, "Not found", pg.MessageText),
            "AT006" => Problem(409, "Order cannot be cancelled", pg.MessageText),
            PostgresErrorCodes.UniqueViolation => Problem(409, "Conflict", "a row with the same key already exists"),
            PostgresErrorCodes.ForeignKeyViolation => Problem(409, "Conflict", "the request refers to a row that does not exist or is still in use"),
            PostgresErrorCodes.CheckViolation or PostgresErrorCodes.NotNullViolation or PostgresErrorCodes.StringDataRightTruncation
                or PostgresErrorCodes.NumericValueOutOfRange => Problem(400, "Invalid value", $"a value is out of range ({pg.ConstraintName ?? pg.SqlState})"),
            PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.TooManyConnections
                => Problem(503, "Busy", "the database is busy: retry the request"),
            _ => null,
        };
        // place_order names the article in DETAIL as article_id=N: expose it for clients.
        if (p is not null && pg.Detail?.StartsWith("article_id=", StringComparison.Ordinal) == true
            && long.TryParse(pg.Detail.AsSpan(11), out var articleId))
            p.Extensions["articleId"] = articleId;
        return p;
    }

    private static ProblemDetails FromBadRequest(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
            return Problem(413, "Payload too large", "the request body is larger than this endpoint accepts");
        for (Exception? e = bad; e is not null; e = e.InnerException)
            if (e is JsonException json)
            {
                var path = json.Path is { Length: > 1 } jp ? jp.TrimStart('$', '.') : "body";
                return Problem(400, "Invalid JSON", $"the body is not valid JSON for this request at '{json.Path ?? "$"}' (line {json.LineNumber}, position {json.BytePositionInLine})", path);
            }
        // "Failed to bind parameter "decimal? minPrice" from "abc"." → field minPrice.
        var m = System.Text.RegularExpressions.Regex.Match(bad.Message, "parameter \"[^\"]*?(\\w+)\"");
        return Problem(bad.StatusCode, "Bad request", bad.Message, m.Success ? m.Groups[1].Value : null);
    }
}
