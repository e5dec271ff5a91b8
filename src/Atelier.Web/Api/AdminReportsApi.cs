using Atelier.Services.Accounts;
using Atelier.Services.Admin;
using Atelier.Services.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atelier.Web.Api;

/// <summary>Dashboard reports from the reporting views (sellers and admins).</summary>
internal static class AdminReportsApi
{
    public static IEndpointRouteBuilder MapAdminReportsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/admin/reports").WithTags("Admin").RequireAuthorization(AtelierRoles.StaffPolicy);
        g.MapGet("/top-sellers", TopSellers).WithName("TopSellers").WithSummary("Best-selling products by units (all time, or in [from, to])");
        g.MapGet("/low-stock", LowStock).WithName("LowStock").WithSummary("Active articles at or below their reorder level");
        g.MapGet("/daily-revenue", DailyRevenue).WithName("DailyRevenue").WithSummary("Revenue per day in [from, to] (default: last 30 days)");
        g.MapGet("/category-sales", CategorySales).WithName("CategorySales").WithSummary("Weekly units and revenue per category in [from, to]");
        return app;
    }

    private static Validation Limit(int limit) => new Validation().Require(limit is >= 1 and <= 1000, "limit", "between 1 and 1000");

    private static Validation Range(DateOnly from, DateOnly to) => new Validation()
        .Require(from <= to, "to", "must not be before from")
        .Require(to.DayNumber - from.DayNumber <= 3660, "from", "at most 10 years");

    /// <summary>All time by default; <c>from</c>/<c>to</c> (UTC days, either may be left out) restrict it to a window.</summary>
    public static async Task<Results<Ok<List<TopSellerDto>>, ValidationProblem>> TopSellers(Reports reports, CancellationToken ct, int limit = 20,
        DateOnly? from = null, DateOnly? to = null)
    {
        var v = Limit(limit).Require(from is null || to is null || from <= to, "to", "must not be before from");
        return v.IsValid ? TypedResults.Ok(await reports.TopSellersAsync(limit, ct, from, to)) : TypedResults.ValidationProblem(v.Errors);
    }

    public static async Task<Results<Ok<List<LowStockDto>>, ValidationProblem>> LowStock(Reports reports, CancellationToken ct, int limit = 100)
    {
        var v = Limit(limit);
        return v.IsValid ? TypedResults.Ok(await reports.LowStockAsync(limit, ct)) : TypedResults.ValidationProblem(v.Errors);
    }

    public static async Task<Results<Ok<List<DailyRevenueDto>>, ValidationProblem>> DailyRevenue(Reports reports, CancellationToken ct,
        DateOnly? from = null, DateOnly? to = null)
    {
        var t = to ?? DateOnly.FromDateTime(DateTime.UtcNow);
        var f = from ?? t.AddDays(-30);
        var v = Range(f, t);
        return v.IsValid ? TypedResults.Ok(await reports.DailyRevenueAsync(f, t, ct)) : TypedResults.ValidationProblem(v.Errors);
    }

    public static async Task<Results<Ok<List<CategorySalesDto>>, ValidationProblem>> CategorySales(Reports reports, CancellationToken ct,
        DateOnly? from = null, DateOnly? to = null)
    {
        var t = to ?? DateOnly.FromDateTime(DateTime.UtcNow);
        var f = from ?? t.AddDays(-7 * 12);
        var v = Range(f, t);
        return v.IsValid ? TypedResults.Ok(await reports.CategorySalesAsync(f, t, ct)) : TypedResults.ValidationProblem(v.Errors);
    }
}
