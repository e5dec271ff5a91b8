using System.Globalization;
using Atelier.Services.Accounts;
using Atelier.Services.Api;
using Atelier.Services.Forecasting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atelier.Web.Api;

/// <summary>Stored demand forecasts and the inventory plan derived from them (sellers and admins).</summary>
internal static class ForecastsApi
{
    public static IEndpointRouteBuilder MapForecastsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/forecasts").WithTags("Forecasts").RequireAuthorization(AtelierRoles.StaffPolicy)
            .MapGet("/", GetForecast).WithName("GetForecast").WithSummary("The latest stored forecast of one series with 80/95% intervals");
        app.MapGroup("/api/admin/inventory").WithTags("Admin").RequireAuthorization(AtelierRoles.StaffPolicy)
            .MapGet("/plan", GetPlan).WithName("InventoryPlan").WithSummary("Days of cover, stock-out probability, reorder point and order quantity per article");
        app.MapGroup("/api/admin/trends").WithTags("Admin").RequireAuthorization(AtelierRoles.StaffPolicy)
            .MapGet("/", GetTrends).WithName("GetTrends")
            .WithSummary("Product types, colours, patterns or categories ranked by predicted 4-week growth, each with an explanation");
        return app;
    }

    public static async Task<Results<Ok<ForecastSeriesDto>, NotFound, ValidationProblem>> GetForecast(ForecastService forecasts, CancellationToken ct,
        string level = "total", string? key = null, string frequency = "weekly")
    {
        var v = new Validation()
            .Require(ForecastLevels.All.Contains(level), "level", "one of " + string.Join(", ", ForecastLevels.All))
            .Require(ForecastLevels.Frequencies.Contains(frequency), "frequency", "weekly or daily")
            .Require(level == "total" ? string.IsNullOrEmpty(key) : long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out _),
                "key", level == "total" ? "must be empty for the total" : "the numeric id of the series");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        return await forecasts.GetAsync(level, key ?? "", frequency, ct) is { } s ? TypedResults.Ok(s) : TypedResults.NotFound();
    }

    public static async Task<Results<Ok<StoreTrendsDto>, ValidationProblem>> GetTrends(TrendService trends, CancellationToken ct,
        string attribute = "product_type", int top = 10)
    {
        var v = new Validation()
            .Require(TrendService.TryParseAttribute(attribute, out var a), "attribute", "one of product_type, colour, graphical_appearance, category")
            .Require(top is >= 1 and <= 100, "top", "between 1 and 100");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        return TypedResults.Ok(await trends.CurrentAsync(a, top, ct));
    }

    public static async Task<Results<Ok<Page<InventoryPlanDto>>, NotFound, ValidationProblem>> GetPlan(InventoryPlanner planner, CancellationToken ct,
        double leadTimeDays = 14, double serviceLevel = 0.95, bool onlyAtRisk = false, string frequency = "weekly", int limit = 100, string? cursor = null)
    {
        (double, long)? after = null;
        var v = new Validation()
            .Require(leadTimeDays is >= 1 and <= 365, "leadTimeDays", "between 1 and 365")
            .Require(serviceLevel is >= 0.5 and <= 0.999, "serviceLevel", "between 0.5 and 0.999")
            .Require(ForecastLevels.Frequencies.Contains(frequency), "frequency", "weekly or daily")
            .Require(limit is >= 1 and <= 1000, "limit", "between 1 and 1000");
        if (cursor is not null)
        {
            if (Cursor.TryDecode(cursor, out var k, out var id) && double.TryParse(k, NumberStyles.Float, CultureInfo.InvariantCulture, out var p)) after = (p, id);
            else v.Add("cursor", "not a cursor returned by this endpoint");
        }
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        return await planner.PlanAsync(leadTimeDays, serviceLevel, onlyAtRisk, frequency, limit, after, ct) is { } page
            ? TypedResults.Ok(page) : TypedResults.NotFound();
    }
}
