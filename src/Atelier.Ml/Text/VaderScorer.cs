namespace Atelier.Ml.Text;

/// <summary>Polarity scores: proportions of negative/neutral/positive valence and the normalised compound in [-1, 1].</summary>
public readonly record struct VaderScores(double Negative, double Neutral, double Positive, double Compound);

/// <summary>
/// Lexicon sentiment scorer after VADER (Hutto &amp; Gilbert 2014): lexicon valence, booster words (±0.293, damped
/// 0.95/0.9 at distance 2/3), negation within three words (×−0.74), ALL-CAPS emphasis (+0.733 when the text mixes
/// case), "but" shift (×0.5 before, ×1.5 after), "!" (+0.292 each, up to 4) and "?" emphasis, and the compound
/// score s / √(s² + 15).
/// </summary>
public sealed class VaderScorer(IReadOnlyDictionary<string, double> lexicon)
{
    public VaderScores Score(string text)
    {
        var words = Words(text);
        var lower = words.ConvertAll(w => w.ToLowerInvariant());
        var capsDifferential = CapsDifferential(words);
        var sentiments = new List<double>(words.Count);
        for (var i = 0; i < words.Count; i++)
        {
            var item = lower[i];
            if (VaderRules.Boosters.ContainsKey(item) || (item == "kind" && i + 1 < words.Count && lower[i + 1] == "of"))
            {
                sentiments.Add(0);
                continue;
            }
            sentiments.Add(Valence(words, lower, i, capsDifferential));
        }
        ButShift(lower, sentiments);
        return Combine(sentiments, text);
    }

    private double Valence(List<string> words, List<string> lower, int i, bool capsDifferential)
    {
        if (!lexicon.TryGetValue(lower[i], out var valence)) return 0;
        if (lower[i] == "no" && i + 1 < words.Count && lexicon.ContainsKey(lower[i + 1])) valence = 0;
        if ((i > 0 && lower[i - 1] == "no") || (i > 1 && lower[i - 2] == "no") ||
            (i > 2 && lower[i - 3] == "no" && lower[i - 1] is "or" or "nor"))
            valence = lexicon[lower[i]] * VaderRules.NegationScalar;
        if (capsDifferential && IsUpper(words[i])) valence += valence > 0 ? VaderRules.CapsIncrement : -VaderRules.CapsIncrement;
        for (var back = 1; back <= 3; back++)
        {
            if (i < back || lexicon.ContainsKey(lower[i - back])) continue;
            var s = BoosterScalar(words[i - back], lower[i - back], valence, capsDifferential);
            valence += back == 2 ? s * 0.95 : back == 3 ? s * 0.9 : s;
            valence = NegationCheck(valence, lower, back, i);
        }
        return LeastCheck(valence, lower, i);
    }

    private static double BoosterScalar(string word, string lower, double valence, bool capsDifferential)
    {
        if (!VaderRules.Boosters.TryGetValue(lower, out var scalar)) return 0;
        if (valence < 0) scalar = -scalar;
        if (capsDifferential && IsUpper(word)) scalar += valence > 0 ? VaderRules.CapsIncrement : -VaderRules.CapsIncrement;
        return scalar;
    }

    private static double NegationCheck(double valence, List<string> lower, int back, int i)
    {
        static bool SoThis(string w) => w is "so" or "this";
        switch (back)
        {
            case 1:
                return VaderRules.IsNegated(lower[i - 1]) ? valence * VaderRules.NegationScalar : valence;
            case 2:
                if (lower[i - 2] == "never" && SoThis(lower[i - 1])) return valence * 1.25;
                if (lower[i - 2] == "without" && lower[i - 1] == "doubt") return valence;
                return VaderRules.IsNegated(lower[i - 2]) ? valence * VaderRules.NegationScalar : valence;
            default:
                if (lower[i - 3] == "never" && (SoThis(lower[i - 2]) || SoThis(lower[i - 1]))) return valence * 1.25;
                if (lower[i - 3] == "without" && (lower[i - 2] == "doubt" || lower[i - 1] == "doubt")) return valence;
                return VaderRules.IsNegated(lower[i - 3]) ? valence * VaderRules.NegationScalar : valence;
        }
    }

    private double LeastCheck(double valence, List<string> lower, int i)
    {
        if (i > 1 && !lexicon.ContainsKey(lower[i - 1]) && lower[i - 1] == "least")
            return lower[i - 2] is "at" or "very" ? valence : valence * VaderRules.NegationScalar;
        if (i > 0 && !lexicon.ContainsKey(lower[i - 1]) && lower[i - 1] == "least") return valence * VaderRules.NegationScalar;
        return valence;
    }

    private static void ButShift(List<string> lower, List<double> sentiments)
    {
        var but = lower.IndexOf("but");
        if (but < 0) return;
        for (var i = 0; i < sentiments.Count; i++)
            if (i < but) sentiments[i] *= 0.5;
            else if (i > but) sentiments[i] *= 1.5;
    }

    private static VaderScores Combine(List<double> sentiments, string text)
    {
        if (sentiments.Count == 0) return new VaderScores(0, 0, 0, 0);
        var exclamations = Math.Min(text.Count(c => c == '!'), 4) * VaderRules.ExclamationIncrement;
        var questions = text.Count(c => c == '?');
        var questionBoost = questions <= 1 ? 0 : questions <= 3 ? questions * 0.18 : 0.96;
        var emphasis = exclamations + questionBoost;
        var sum = sentiments.Sum();
        if (sum > 0) sum += emphasis;
        else if (sum < 0) sum -= emphasis;
        var compound = Math.Clamp(sum / Math.Sqrt(sum * sum + VaderRules.NormalisationAlpha), -1, 1);
        double pos = 0, neg = 0, neu = 0;
        foreach (var s in sentiments)
            if (s > 0) pos += s + 1;
            else if (s < 0) neg += s - 1;
            else neu += 1;
        if (pos > Math.Abs(neg)) pos += emphasis;
        else if (pos < Math.Abs(neg)) neg -= emphasis;
        var total = pos + Math.Abs(neg) + neu;
        return new VaderScores(Math.Abs(neg / total), Math.Abs(neu / total), Math.Abs(pos / total), compound);
    }

    /// <summary>Whitespace tokens with surrounding punctuation stripped unless that leaves ≤ 2 chars (keeps emoticons).</summary>
    internal static List<string> Words(string text)
    {
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var words = new List<string>(parts.Length);
        foreach (var p in parts)
        {
            var stripped = p.Trim(Punctuation);
            words.Add(stripped.Length <= 2 ? p : stripped);
        }
        return words;
    }

    private static readonly char[] Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".ToCharArray();

    private static bool IsUpper(string w)
    {
        var letters = false;
        foreach (var c in w)
        {
            if (char.IsLower(c)) return false;
            if (char.IsUpper(c)) letters = true;
        }
        return letters;
    }

    private static bool CapsDifferential(List<string> words)
    {
        var caps = 0;
        foreach (var w in words)
            if (IsUpper(w)) caps++;
        return caps > 0 && caps < words.Count;
    }
}
