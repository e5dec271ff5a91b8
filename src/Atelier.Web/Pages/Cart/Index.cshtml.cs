using Atelier.Services.Accounts;
using Atelier.Services.Api;
using Atelier.Services.Orders;
using Atelier.Services.Recommendations;
using Atelier.Web.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Atelier.Web.Pages.Cart;

/// <summary>
/// The signed-in customer's bag: quantities, live availability, the total, "complete the look" for the whole bag, and
/// checkout. The checkout form carries an idempotency key made when the page was rendered, so a double submit or a
/// resubmitted form places one order.
/// </summary>
[Authorize(Policy = AtelierRoles.CustomerPolicy)]
public sealed class CartModel(CartService carts, OrderService orders, RecommendationService recs, IOptions<OrderOptions> options) : PageModel
{
    public const int Rail = 6;
    private const string OrderKeyField = "Idempotency-Key";

    public CartDto Cart { get; private set; } = new([], 0, 0);
    public IReadOnlyList<RecommendedArticle> Outfit { get; private set; } = [];
    public string CheckoutKey { get; private set; } = "";
    public int MaxQuantity => options.Value.MaxQuantity;
    public int CancelWindowMinutes => options.Value.CancelWindowMinutes;

    [TempData] public string? Error { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Cart = await carts.GetAsync(User.CustomerId(), ct);
        CheckoutKey = Guid.NewGuid().ToString("N");
        if (Cart.Lines.Count > 0 && recs.Version is not null)
        {
            var inBag = Cart.Lines.Select(l => l.ProductId).ToHashSet();
            Outfit = (await recs.OutfitAsync(Cart.Lines.Select(l => l.ArticleId).ToList(), Rail * 2, ct)).Items
                .Where(r => inBag.Add(r.ProductId)).Take(Rail).ToList();
        }
    }

    public async Task<IActionResult> OnPostQuantityAsync(long articleId, int quantity, CancellationToken ct)
    {
        if (quantity < 0 || quantity > MaxQuantity) Error = $"Choose a quantity from 0 to {MaxQuantity}.";
        else if (quantity == 0) await carts.RemoveLineAsync(User.CustomerId(), articleId, ct);
        else if (!await carts.SetLineAsync(User.CustomerId(), articleId, quantity, ct)) Error = "That article is no longer for sale.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRemoveAsync(long articleId, CancellationToken ct)
    {
        await carts.RemoveLineAsync(User.CustomerId(), articleId, ct);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostCheckoutAsync(string? key, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > 200) return BadRequest();
        try
        {
            var placed = await orders.PlaceAsync(User.UserId(), User.CustomerId(), "web:" + key, items: null, ct);
            TempData[Orders.OrderDetailModel.PlacedKey] = placed.Order.OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Redirect($"/orders/{placed.Order.OrderId}");
        }
        catch (DomainException e) when (e.Field == OrderKeyField)
        {
            // The first submit of this form is still being placed (a double click): it finishes on its own.
            Error = "Your order is being placed: open Orders in a moment.";
        }
        catch (DomainException e)
        {
            Error = e.Message;
        }
        catch (PostgresException e) when (e.SqlState is "AT001" or "AT002")
        {
            // place_order's message names the article and what is left: "insufficient stock for article … requested 2, available 1".
            Error = Shared.ShopMessages.Sentence(e.MessageText, "Change the quantity and try again.");
        }
        return RedirectToPage();
    }
}
