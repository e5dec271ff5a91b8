using Atelier.Services.Accounts;
using Atelier.Services.Api;
using Atelier.Services.Orders;
using Atelier.Web.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;

namespace Atelier.Web.Pages.Orders;

/// <summary>One of the signed-in customer's orders (anyone else's is not found), with cancellation inside the window.</summary>
[Authorize(Policy = AtelierRoles.CustomerPolicy)]
public sealed class OrderDetailModel(OrderService orders) : PageModel
{
    /// <summary>TempData key the checkout sets to the order it placed, for a one-time thank-you.</summary>
    public const string PlacedKey = "OrderPlaced";

    public OrderDto Order { get; private set; } = null!;
    public bool JustPlaced { get; private set; }
    [TempData] public string? Error { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (await orders.GetAsync(User.CustomerId(), id, ct) is not { } order) return NotFound();
        Order = order;
        JustPlaced = TempData[PlacedKey] is string placed && placed == id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Page();
    }

    public async Task<IActionResult> OnPostCancelAsync(long id, CancellationToken ct)
    {
        try
        {
            if (await orders.CancelAsync(User.CustomerId(), id, ct) is null) return NotFound();
        }
        catch (DomainException e)
        {
            Error = e.Message;
        }
        catch (PostgresException e) when (e.SqlState == "AT006")
        {
            Error = Shared.ShopMessages.Sentence(e.MessageText);
        }
        return RedirectToPage(new { id });
    }
}
