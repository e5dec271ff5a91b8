using Atelier.Services.Accounts;
using Atelier.Services.Insights;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Atelier.Web.Pages.Admin.Customers;

/// <summary>Analysed customers by RFM group, ordered by value at risk (CLV × churn), CLV, churn risk or recency.</summary>
[Authorize(Policy = AtelierRoles.StaffPolicy)]
public sealed class CustomerListModel(InsightQueries insights) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Group { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public IReadOnlyList<CustomerListRowDto> Rows { get; private set; } = [];
    public IReadOnlyList<RfmGroupCountDto> Groups { get; private set; } = [];
    public CustomerListOrder Order { get; private set; }

    public static readonly IReadOnlyList<(string Key, string Label, CustomerListOrder Order)> Orders =
    [
        ("risk", "Value at risk", CustomerListOrder.ValueAtRisk), ("clv", "Predicted CLV", CustomerListOrder.Clv),
        ("churn", "Churn risk", CustomerListOrder.Churn), ("recent", "Most recent", CustomerListOrder.Recency),
    ];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var o = Orders.FirstOrDefault(x => x.Key == (Sort ?? "risk"));
        if (o.Key is null || PageNumber is < 1 or > 10_000 || Group is { Length: > 100 }) return BadRequest();
        Order = o.Order;
        Groups = (await insights.SegmentsAsync(ct)).RfmGroups;
        Rows = await insights.CustomersAsync(string.IsNullOrEmpty(Group) ? null : Group, Order, PageSize + 1, (PageNumber - 1) * PageSize, ct);
        return Page();
    }

    public bool HasNext => Rows.Count > PageSize;
}
