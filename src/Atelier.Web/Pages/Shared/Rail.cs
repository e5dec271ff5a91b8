using Atelier.Services.Recommendations;

namespace Atelier.Web.Pages.Shared;

/// <summary>A recommendation rail: its articles and, for rails shoppers see, where it is shown (tracked on click).</summary>
public sealed record Rail(IReadOnlyList<RecommendedArticle> Items, string? Source = null)
{
    /// <summary>The rails a click can come from (anything else in the query string is ignored).</summary>
    public static readonly IReadOnlySet<string> Sources = new HashSet<string>(StringComparer.Ordinal) { "picked", "outfit", "similar", "bag" };
}
