namespace Atelier.Web.Pages.Shared;

/// <summary>A display colour for a catalogue colour name ("Dark Blue", "Greenish Khaki"…), from its last known colour word.</summary>
public static class ColourSwatch
{
    private static readonly Dictionary<string, string> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["black"] = "#1f1f1f", ["white"] = "#f7f5f0", ["off white"] = "#efeae0", ["grey"] = "#9a9a9a", ["gray"] = "#9a9a9a",
        ["blue"] = "#3b5b92", ["navy"] = "#22304f", ["turquoise"] = "#3fa7a4", ["red"] = "#b3312c", ["pink"] = "#e3a1b4",
        ["green"] = "#4f7a4a", ["khaki"] = "#9c9265", ["beige"] = "#d8c8a8", ["brown"] = "#6e4b33", ["yellow"] = "#e2c34b",
        ["orange"] = "#d9793a", ["purple"] = "#6c4f8a", ["lilac"] = "#b9a3cf", ["gold"] = "#c9a43c", ["silver"] = "#bfc3c7",
        ["bronze"] = "#8c6a3f", ["copper"] = "#b0653a", ["transparent"] = "#ece9e4", ["mole"] = "#7b6f63", ["greige"] = "#b6ad9f",
    };

    /// <summary>A CSS colour, or null when the name says nothing we can draw.</summary>
    public static string? Css(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        if (Words.TryGetValue(name.Trim(), out var exact)) return exact;
        var parts = name.Split([' ', '-', '/'], StringSplitOptions.RemoveEmptyEntries);
        for (var i = parts.Length - 1; i >= 0; i--)
            if (Words.TryGetValue(parts[i], out var css))
                return parts.Any(p => p.Equals("dark", StringComparison.OrdinalIgnoreCase)) ? $"color-mix(in srgb, {css} 70%, black)"
                    : parts.Any(p => p.Equals("light", StringComparison.OrdinalIgnoreCase)) ? $"color-mix(in srgb, {css} 55%, white)" : css;
        return null;
    }
}
