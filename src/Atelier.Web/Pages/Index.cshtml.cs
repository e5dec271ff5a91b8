using Atelier.Services.Catalog;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Atelier.Web.Pages;

public sealed class IndexModel(CatalogQueries catalog) : PageModel
{
    public IReadOnlyList<ProductCard> Products { get; private set; } = [];
    public StoreStats Stats { get; private set; } = new(0, 0, 0, 0, 0);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Stats = await catalog.StatsAsync(ct);
        Products = await catalog.FeaturedAsync(24, ct);
    }
}
