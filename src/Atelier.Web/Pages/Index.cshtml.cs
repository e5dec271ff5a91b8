using Atelier.Services.Api;
using Atelier.Services.Catalog;
using Atelier.Services.Recommendations;
using Atelier.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Atelier.Web.Pages;

/// <summary>The shop: full-text search, category and stock filters, sorting and keyset paging over the catalogue; a
/// signed-in customer also sees the recommender's picks for them (which follow what they looked at).</summary>
public sealed class IndexModel(CatalogQueries catalog, CatalogService categories, ProductSearch search, RecommendationService recs) : PageModel
{
    public const int Rail = 8;
    public IReadOnlyList<RecommendedArticle> PickedForYou { get; private set; } = [];

    public const int PageSize = 24;

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public int? Category { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    [BindProperty(SupportsGet = true)] public bool InStock { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }

    public CatalogueCounts Stats { get; private set; } = new(0, 0);
    public IReadOnlyList<CategoryNode> Categories { get; private set; } = [];
    public Page<ProductSummary> Results { get; private set; } = new([], null);
    public string? Problem { get; private set; }
    public bool HasText => !string.IsNullOrWhiteSpace(Q);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Stats = await catalog.CountsAsync(ct);
        Categories = await categories.CategoriesAsync(ct);
        if (Q is { Length: > 200 }) { Problem = "The search text is too long (at most 200 characters)."; return; }
        if (!ProductSearch.TryParseSort(Sort, HasText, out var order)) { Problem = "Unknown sort order."; return; }
        var page = await search.SearchAsync(new ProductQuery(HasText ? Q!.Trim() : null, Category, null, null, null, null, null,
            InStock, order, PageSize, string.IsNullOrEmpty(Cursor) ? null : Cursor), ct);
        if (page is null) { Problem = "That page link has expired: start the search again."; return; }
        Results = page;
        if (User.CustomerIdOrNull() is { } customer && !HasText && Category is null && string.IsNullOrEmpty(Cursor) && recs.Version is not null)
        {
            try
            {
                // One per style: the rail shows products, not colours of one product.
                PickedForYou = (await recs.ForCustomerAsync(customer, new RecsRequest(N: Rail, MaxPerProduct: 1), ct)).Items;
            }
            catch (RecsNotReadyException)
            {
                // the model was unloaded between the check and the call: the shop works without the rail
            }
        }
    }

    /// <summary>The query string of this search with one value replaced (for sort links and the next page).</summary>
    public object RouteFor(string? cursor = null, string? sort = null) => new
    {
        q = Q, category = Category, sort = sort ?? Sort, inStock = InStock ? true : (bool?)null, cursor,
    };

    public IEnumerable<(int Id, string Name)> FlatCategories()
    {
        static IEnumerable<(int, string)> Walk(IEnumerable<CategoryNode> nodes, string indent)
        {
            foreach (var n in nodes)
            {
                yield return (n.CategoryId, indent + n.Name);
                foreach (var c in Walk(n.Children, indent + "\u2003")) yield return c;
            }
        }
        return Walk(Categories, "");
    }
}
