using Atelier.Services.Catalog;
using Atelier.Services.Events;
using Atelier.Services.Insights;
using Atelier.Services.Orders;
using Atelier.Services.Recommendations;
using Atelier.Services.Reviews;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Atelier.Web.Api;

namespace Atelier.Web.Pages.Products;

/// <summary>
/// One product: variants with live stock, the rating summary, what reviewers say about size and fit, the latest reviews,
/// and two recommendation rails (complete the outfit, similar styles) from the model in production. A signed-in
/// customer's visit is tracked as a view of the variant shown first, so their recommendations follow what they look at.
/// </summary>
public sealed class DetailModel(CatalogService catalog, InsightQueries insights, ReviewService reviews, RecommendationService recs,
    EventIngest events, CartService carts, Microsoft.Extensions.Options.IOptions<OrderOptions> orderOptions) : PageModel
{
    /// <summary>The browsing-session cookie that groups a shopper's tracked events (as the events API's session id).</summary>
    public const string SessionCookie = "atelier_session";

    public const int Rail = 8;

    public ProductDetail Product { get; private set; } = null!;
    public ProductReviewInsightsDto? Insights { get; private set; }
    public IReadOnlyList<ReviewDto> LatestReviews { get; private set; } = [];
    public long ReviewCount { get; private set; }
    public IReadOnlyList<RecommendedArticle> Outfit { get; private set; } = [];
    public IReadOnlyList<RecommendedArticle> Similar { get; private set; } = [];
    public bool RecommenderReady { get; private set; }

    /// <param name="rec">The rail the visitor came from (<see cref="Shared.Rail.Sources"/>), with <paramref name="a"/> the
    /// recommended article: a signed-in customer's visit is then also a recommendation click of that article.</param>
    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct, string? rec = null, long? a = null)
    {
        if (id <= 0 || await catalog.ProductAsync(id, ct) is not { } product) return NotFound();
        Product = product;
        Insights = await insights.ProductReviewsAsync(id, ct);
        if (await reviews.ListAsync(id, 1, 5, ct) is { } page) (LatestReviews, ReviewCount) = (page.Items, page.Total);

        // The rails start from the variant a shopper would pick first: in stock, known to the model.
        var anchor = product.Variants.Where(v => recs.Knows(v.ArticleId)).OrderByDescending(v => v.InStock).ThenByDescending(v => v.Stock)
            .Select(v => (long?)v.ArticleId).FirstOrDefault();
        RecommenderReady = recs.Version is not null;
        var clicked = rec is not null && Shared.Rail.Sources.Contains(rec) && a is { } r && product.Variants.Any(v => v.ArticleId == r) ? a : null;
        if (User.CustomerIdOrNull() is { } customer && (clicked ?? anchor ?? product.Variants.Select(v => (long?)v.ArticleId).FirstOrDefault()) is { } viewed)
        {
            List<TrackedEvent> tracked = [new("view", viewed, null, null)];
            if (clicked is { } c) tracked.Add(new TrackedEvent("recommendation_click", c, null, null));
            await events.WriteAsync(new EventBatch(BrowsingSession(), tracked), customer, ct);
        }
        if (anchor is { } start)
        {
            var productIds = new HashSet<long> { id };
            Outfit = (await recs.OutfitAsync([start], Rail * 2, ct)).Items.Where(r => productIds.Add(r.ProductId)).Take(Rail).ToList();
            Similar = (await recs.SimilarAsync(start, Rail * 2, ct)).Items.Where(r => productIds.Add(r.ProductId)).Take(Rail).ToList();
        }
        return Page();
    }

    /// <summary>Whether the visitor can put articles in a bag (a signed-in customer; staff accounts have no bag).</summary>
    public bool CanBuy => User.CustomerIdOrNull() is not null;

    /// <summary>"Add to bag": one more of the variant (up to the order limit), tracked as an add-to-cart, then the bag.</summary>
    public async Task<IActionResult> OnPostAddAsync(long id, long articleId, CancellationToken ct)
    {
        if (User.CustomerIdOrNull() is not { } customer)
            return User.Identity?.IsAuthenticated == true ? Forbid() : Redirect($"/account/login?ReturnUrl={Uri.EscapeDataString($"/products/{id}")}");
        if (await catalog.ProductAsync(id, ct) is not { } product || product.Variants.All(v => v.ArticleId != articleId)) return NotFound();
        if (!await carts.AddOneAsync(customer, articleId, orderOptions.Value.MaxQuantity, ct)) return NotFound();
        await events.WriteAsync(new EventBatch(BrowsingSession(), [new TrackedEvent("add_to_cart", articleId, null, null)]), customer, ct);
        return Redirect("/cart");
    }

    private Guid BrowsingSession()
    {
        if (Guid.TryParse(Request.Cookies[SessionCookie], out var id) && id != Guid.Empty) return id;
        id = Guid.NewGuid();
        Response.Cookies.Append(SessionCookie, id.ToString(), new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = Request.IsHttps, IsEssential = true,
        });
        return id;
    }
}
