using Atelier.Services.Accounts;
using Atelier.Services.Admin;
using Atelier.Services.Forecasting;
using Atelier.Services.Insights;
using Atelier.Services.Recommendations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Atelier.Web.Pages.Admin;

/// <summary>
/// The store dashboard for sellers and admins: the last 90 trading days of revenue, this month against the one before,
/// top sellers of the last 30 days, articles to reorder (with the forecast-based plan), and the stored customer segments.
/// </summary>
[Authorize(Policy = AtelierRoles.StaffPolicy)]
public sealed class DashboardModel(Reports reports, InsightQueries insights, RecommendationService recs, TrendService trends) : PageModel
{
    public const int ChartDays = 90;

    public DateOnly? LastDay { get; private set; }
    public IReadOnlyList<DailyRevenueDto> Daily { get; private set; } = [];
    public Period Current { get; private set; } = Period.Empty;
    public Period Previous { get; private set; } = Period.Empty;
    public IReadOnlyList<TopSellerDto> TopSellers { get; private set; } = [];
    public IReadOnlyList<LowStockDto> LowStock { get; private set; } = [];
    public SegmentsDto? Segments { get; private set; }
    public StoreTrendsDto? Trends { get; private set; }
    public int? ModelVersion => recs.Version;

    public async Task OnGetAsync(CancellationToken ct)
    {
        LastDay = await reports.LatestSaleDayAsync(ct);
        if (LastDay is { } last)
        {
            var rows = await reports.DailyRevenueAsync(last.AddDays(-(ChartDays - 1)), last, ct);
            Daily = rows;
            // Both 30-day periods lie inside the chart's 90 days: one query serves all three.
            Current = Period.Of(rows, last.AddDays(-29), last);
            Previous = Period.Of(rows, last.AddDays(-59), last.AddDays(-30));
            // What sells now (the last 30 days), not all time: more useful to a merchant, and bounded in cost.
            TopSellers = await reports.TopSellersAsync(10, ct, last.AddDays(-29), last);
        }
        LowStock = await reports.LowStockAsync(12, ct);
        Segments = await insights.SegmentsAsync(ct);
        Trends = await trends.CurrentAsync(TrendAttribute.ProductType, 5, ct);
    }

    /// <summary>Change of a figure against the previous period, as "+12%" (null when there is nothing to compare).</summary>
    public static string? Change(decimal now, decimal before) =>
        before == 0 ? null : ((now - before) / before).ToString("+0%;−0%;0%", System.Globalization.CultureInfo.InvariantCulture);

    public sealed record Period(decimal Revenue, long Orders, long Units)
    {
        public static readonly Period Empty = new(0, 0, 0);
        public decimal AverageOrder => Orders == 0 ? 0 : Revenue / Orders;

        public static Period Of(IEnumerable<DailyRevenueDto> rows, DateOnly from, DateOnly to)
        {
            decimal revenue = 0; long orders = 0, units = 0;
            foreach (var r in rows)
                if (r.Day >= from && r.Day <= to) { revenue += r.Revenue; orders += r.Orders; units += r.Units; }
            return new Period(revenue, orders, units);
        }
    }
}
