using Atelier.Ml.Text;

namespace Atelier.Services.Reviews;

/// <summary>
/// A named model configuration tried on the validation split; UseVader appends VADER scores as features; Ordinal trains
/// on the 5 star ratings and sums their probabilities into the coarse classes (three-class task only).
/// </summary>
public sealed record SentimentCandidate(string Name, TextClassifierOptions Options, bool UseVader, bool Ordinal = false)
{
    private static TfidfOptions Words => new() { WordNgramMax = 2, MinDf = 2 };
    private static TfidfOptions WordsAndChars => new() { WordNgramMax = 2, MinDf = 2, CharNgramMin = 2, CharNgramMax = 5 };

    public static SentimentCandidate Create(string name, bool chars, double c, bool balanced, bool nb, bool vader, bool ordinal = false) =>
        new(name, new TextClassifierOptions
        {
            Tfidf = chars ? WordsAndChars : Words,
            Regression = new LogisticRegressionOptions { C = c },
            BalancedClassWeights = balanced,
            NaiveBayesScaling = nb,
        }, vader, ordinal);

    /// <summary>Parses "words|chars:C:flags", flags a subset of b (balanced), n (NB scaling), v (VADER features), o (ordinal).</summary>
    public static SentimentCandidate Parse(string spec)
    {
        var parts = spec.Split(':');
        if (parts.Length is < 2 or > 3 || parts[0] is not ("words" or "chars") ||
            !double.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var c))
            throw new FormatException($"bad model spec '{spec}' (expected words|chars:C[:bnvo])");
        var flags = parts.Length == 3 ? parts[2] : "";
        return Create(spec, parts[0] == "chars", c, flags.Contains('b'), flags.Contains('n'), flags.Contains('v'), flags.Contains('o'));
    }
}
