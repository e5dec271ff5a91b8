using System.Globalization;
using Atelier.Ml.Text;

namespace Atelier.Services.Reviews;

/// <summary>
/// The VADER lexicon (Hutto &amp; Gilbert 2014, MIT licence: Resources/LICENSE.txt), embedded in this assembly:
/// TAB-separated token, mean valence, standard deviation, raw ratings.
/// </summary>
public static class VaderLexicon
{
    private static readonly Lazy<IReadOnlyDictionary<string, double>> Cached = new(Read);

    public static IReadOnlyDictionary<string, double> Entries => Cached.Value;

    public static VaderScorer CreateScorer() => new(Entries);

    public static Dictionary<string, double> Parse(TextReader reader)
    {
        var lexicon = new Dictionary<string, double>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split('\t');
            if (parts.Length < 2) continue;
            lexicon[parts[0]] = double.Parse(parts[1], CultureInfo.InvariantCulture);
        }
        return lexicon;
    }

    private static IReadOnlyDictionary<string, double> Read()
    {
        using var stream = typeof(VaderLexicon).Assembly.GetManifestResourceStream("Atelier.Reviews.vader_lexicon.txt")
            ?? throw new InvalidOperationException("the embedded VADER lexicon is missing");
        using var reader = new StreamReader(stream);
        return Parse(reader);
    }
}
