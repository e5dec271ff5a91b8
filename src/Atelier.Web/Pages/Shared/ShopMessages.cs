namespace Atelier.Web.Pages.Shared;

/// <summary>Database messages (place_order's and cancel_order's, which name the article or order) as page sentences.</summary>
internal static class ShopMessages
{
    public static string Sentence(string message, string? then = null) =>
        message.Length == 0 ? then ?? "" : char.ToUpperInvariant(message[0]) + message[1..] + "." + (then is null ? "" : " " + then);
}
