namespace Atelier.Ml.Text;

/// <summary>Constants and word lists of VADER (Hutto &amp; Gilbert, ICWSM 2014), written from the paper's rules.</summary>
internal static class VaderRules
{
    public const double BoosterIncrement = 0.293;
    public const double BoosterDecrement = -0.293;
    public const double CapsIncrement = 0.733;
    public const double NegationScalar = -0.74;
    public const double ExclamationIncrement = 0.292;
    public const double NormalisationAlpha = 15;

    public static readonly HashSet<string> Negations = new(StringComparer.Ordinal)
    {
        "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt", "ain't", "aren't", "can't",
        "couldn't", "daren't", "didn't", "doesn't", "dont", "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt",
        "neither", "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't", "neednt", "needn't",
        "never", "none", "nope", "nor", "not", "nothing", "nowhere", "oughtnt", "shant", "shouldnt", "uhuh", "wasnt",
        "werent", "oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't", "without", "wont", "wouldnt",
        "won't", "wouldn't", "rarely", "seldom", "despite",
    };

    public static readonly Dictionary<string, double> Boosters = Build();

    private static Dictionary<string, double> Build()
    {
        var d = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var w in ("absolutely amazingly awfully completely considerable considerably decidedly deeply effing " +
                           "enormous enormously entirely especially exceptional exceptionally extreme extremely " +
                           "fabulously flipping flippin frackin fracking fricking frickin frigging friggin fully " +
                           "fuckin fucking fuggin fugging greatly hella highly hugely incredible incredibly intensely " +
                           "major majorly more most particularly purely quite really remarkably so substantially " +
                           "thoroughly total totally tremendous tremendously uber unbelievably unusually utter utterly very")
                 .Split(' '))
            d[w] = BoosterIncrement;
        foreach (var w in ("almost barely hardly kinda kindof kind-of less little marginal marginally occasional " +
                           "occasionally partly scarce scarcely slight slightly somewhat sorta sortof sort-of").Split(' '))
            d[w] = BoosterDecrement;
        return d;
    }

    public static bool IsNegated(string lower) => Negations.Contains(lower) || lower.Contains("n't", StringComparison.Ordinal);
}
