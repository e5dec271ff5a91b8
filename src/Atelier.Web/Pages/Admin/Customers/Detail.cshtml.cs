using Atelier.Services.Accounts;
using Atelier.Services.Insights;
using Atelier.Services.Recommendations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Atelier.Web.Pages.Admin.Customers;

/// <summary>Customer 360: RFM group, segment, churn risk, CLV, next order, last orders, and what the recommender would show.</summary>
[Authorize(Policy = AtelierRoles.StaffPolicy)]
public sealed class CustomerDetailModel(InsightQueries insights, RecommendationService recs) : PageModel
{
    public Customer360Dto Customer { get; private set; } = null!;
    public IReadOnlyList<RecommendedArticle> Recommendations { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (id <= 0 || await insights.Customer360Async(id, ct) is not { } c) return NotFound();
        Customer = c;
        if (recs.Version is not null) Recommendations = (await recs.ForCustomerAsync(id, new RecsRequest(N: 8), ct)).Items;
        return Page();
    }
}
