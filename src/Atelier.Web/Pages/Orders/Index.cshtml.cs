using Atelier.Services.Accounts;
using Atelier.Services.Orders;
using Atelier.Web.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Atelier.Web.Pages.Orders;

/// <summary>The signed-in customer's latest orders.</summary>
[Authorize(Policy = AtelierRoles.CustomerPolicy)]
public sealed class OrderListModel(OrderService orders) : PageModel
{
    public const int Shown = 50;
    public IReadOnlyList<OrderSummaryDto> Orders { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Orders = (await orders.HistoryAsync(User.CustomerId(), null, Shown, ct)).Items;
}
