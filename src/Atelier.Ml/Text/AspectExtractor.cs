namespace Atelier.Ml.Text;

/// <summary>
/// Rule-based review aspects. Size &amp; fit: votes from "runs/fits small|large", "too tight|big", "size up|down",
/// "true to size"/"tts"/"my usual size … fit"; a negator up to three words before a cue cancels it ("not small at
/// all"); votes after "but" weigh ×1.5 and before it ×0.5 (as VADER's but-rule); conditional advice ("if you want a
/// looser fit, size up") is ignored. Other aspects: cue words per aspect, polarity from aspect cue words (flipped by
/// negation) or else from the VADER compound of the sentence.
/// </summary>
public sealed class AspectExtractor(VaderScorer? vader = null)
{
    public ReviewAspects Extract(string review)
    {
        var sentences = SplitSentences(review);
        Span<double> votes = stackalloc double[4];
        var mentions = new List<AspectMention>();
        var tokens = new List<string>();
        for (var s = 0; s < sentences.Count; s++)
        {
            tokens.Clear();
            WordTokenizer.Tokenize(sentences[s], tokens);
            SizeVotes(tokens, votes);
            AspectMentions(sentences[s], tokens, s, mentions);
        }
        return new ReviewAspects(Decide(votes), mentions);
    }

    internal static SizeFitVerdict Decide(ReadOnlySpan<double> votes)
    {
        var best = SizeFitVerdict.None;
        var bestVote = 0.0;
        var tie = false;
        for (var v = 1; v < 4; v++)
        {
            if (votes[v] > bestVote + 1e-9)
            {
                best = (SizeFitVerdict)v;
                bestVote = votes[v];
                tie = false;
            }
            else if (votes[v] > 0 && Math.Abs(votes[v] - bestVote) <= 1e-9) tie = true;
        }
        if (!tie) return best;
        // Small and large tied: no clear verdict. A tie with true-to-size keeps the directional signal.
        return votes[(int)SizeFitVerdict.RunsSmall] == votes[(int)SizeFitVerdict.RunsLarge] ? SizeFitVerdict.None : best;
    }

    private static void SizeVotes(List<string> t, Span<double> votes)
    {
        var but = t.IndexOf("but");
        var conditional = IsConditionalAdvice(t);
        for (var i = 0; i < t.Count; i++)
        {
            var (verdict, weight, length) = Match(t, i, conditional);
            if (verdict == SizeFitVerdict.None) continue;
            if (Negated(t, i)) continue;
            if (but >= 0) weight *= i > but ? 1.5 : i < but ? 0.5 : 1;
            votes[(int)verdict] += weight;
            i += length - 1;
        }
    }

    /// <summary>The size-and-fit cue starting at token i: verdict, weight and length in tokens.</summary>
    private static (SizeFitVerdict, double, int) Match(List<string> t, int i, bool conditional)
    {
        string At(int k) => k >= 0 && k < t.Count ? t[k] : "";
        var w = t[i];
        if (w == "true" && At(i + 1) == "to" && At(i + 2) == "size") return (SizeFitVerdict.TrueToSize, 2, 3);
        if (w == "true" && At(i + 1) == "to" && At(i + 2) is "my" or "your" && At(i + 3) == "size") return (SizeFitVerdict.TrueToSize, 2, 4);
        if (w is "tts" or "tru" && (w == "tts" || At(i + 2) == "size")) return (SizeFitVerdict.TrueToSize, 2, 1);
        if (w is "usual" or "normal" or "regular" or "typical" && (At(i + 1) == "size" || At(i + 2) == "size") && FitsWell(t, i + 2))
            return (SizeFitVerdict.TrueToSize, 1, 2);
        if (w is "swimming" or "drowning" && At(i + 1) == "in") return (SizeFitVerdict.RunsLarge, 1, 2);
        // size up / sized down / order a size up / go down a size / one size smaller
        if (w is "size" or "sized" or "sizing" or "order" or "ordered" or "go" or "went")
        {
            var next = At(i + 1) is "a" or "one" ? At(i + 2) == "size" ? At(i + 3) : "" : At(i + 1);
            if (!conditional && next is "up" or "larger" or "bigger") return (SizeFitVerdict.RunsSmall, 1.5, 2);
            if (!conditional && next is "down" or "smaller") return (SizeFitVerdict.RunsLarge, 1.5, 2);
        }
        if (w is "up" or "down" && At(i + 1) == "a" && At(i + 2) == "size" && !conditional && At(i - 1) is "go" or "went" or "going" or "size" or "sized" or "order" or "ordered")
            return (w == "up" ? SizeFitVerdict.RunsSmall : SizeFitVerdict.RunsLarge, 1.5, 3);
        var small = AspectLexicon.SmallWords.Contains(w) && w != "petite";
        var large = AspectLexicon.LargeWords.Contains(w);
        if (!small && !large) return (SizeFitVerdict.None, 0, 1);
        if (AspectLexicon.BodyNouns.Contains(At(i + 1))) return (SizeFitVerdict.None, 0, 1);
        // A garment part just before ("arm holes were too tight", "the waist is very small") or a stated
        // preference ("wanted a looser fit") is not a verdict on the size.
        for (var back = 1; back <= 4; back++)
            if (AspectLexicon.PartNouns.Contains(At(i - back)) || At(i - back) is "want" or "wanted" or "prefer" or "preferred")
                return (SizeFitVerdict.None, 0, 1);
        if (AspectLexicon.SizeNameCues.Contains(At(i - 1))) return (SizeFitVerdict.None, 0, 1);
        var verdict = small ? SizeFitVerdict.RunsSmall : SizeFitVerdict.RunsLarge;
        // "runs (a bit) small", "fits large": strongest evidence.
        for (var back = 1; back <= 4; back++)
            if (AspectLexicon.RunVerbs.Contains(At(i - back))) return (verdict, 2, 1);
        if (At(i - 1) is "too" or "way" or "very" or "bit" or "little" or "slightly" or "super" or "really" or "quite" or "tad" or "extremely" or "so")
            // "a bit loose" usually describes the cut; only "too loose" speaks about the size.
            return w is "loose" or "looser" or "roomy" or "baggy" && At(i - 1) != "too" ? (SizeFitVerdict.None, 0, 1) : (verdict, 1, 1);
        // Bare adjective ("it was small", "is huge"): weak evidence, only after a copula.
        return At(i - 1) is "was" or "is" or "are" or "were" or "it's" ? (verdict, 0.75, 1) : (SizeFitVerdict.None, 0, 1);
    }

    private static bool FitsWell(List<string> t, int from)
    {
        for (var k = from; k < Math.Min(t.Count, from + 6); k++)
            if (t[k] is "fit" or "fits" or "fitted" or "perfect" or "perfectly" or "worked" or "works" or "great") return true;
        return false;
    }

    private static bool IsConditionalAdvice(List<string> t)
    {
        for (var i = 0; i + 2 < t.Count; i++)
            if (t[i] == "if" && t[i + 1] == "you" && t[i + 2] is "want" or "like" or "prefer" or "wish") return true;
        return false;
    }

    private static bool Negated(List<string> t, int i)
    {
        for (var back = 1; back <= 3 && i - back >= 0; back++)
        {
            var w = t[i - back];
            if (AspectLexicon.Negators.Contains(w) || w.EndsWith("n't", StringComparison.Ordinal)) return true;
        }
        return false;
    }

    private void AspectMentions(string sentence, List<string> t, int s, List<AspectMention> mentions)
    {
        Span<bool> seen = stackalloc bool[6];
        Span<int> cue = stackalloc int[6];
        for (var i = 0; i < t.Count; i++)
        {
            if (!AspectLexicon.AspectWords.TryGetValue(t[i], out var aspect)) continue;
            seen[(int)aspect] = true;
            if (AspectLexicon.CuePolarity.TryGetValue(t[i], out var p)) cue[(int)aspect] += Negated(t, i) ? -p : p;
        }
        double? compound = null;
        for (var a = 0; a < 6; a++)
        {
            if (!seen[a]) continue;
            var polarity = Math.Sign(cue[a]);
            if (polarity == 0 && vader is not null)
            {
                compound ??= vader.Score(sentence).Compound;
                polarity = compound >= 0.3 ? 1 : compound <= -0.3 ? -1 : 0;
            }
            mentions.Add(new AspectMention((Aspect)a, polarity, s));
        }
    }

    internal static List<string> SplitSentences(string text)
    {
        var result = new List<string>();
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            var end = i == text.Length || text[i] is '.' or '!' or '?' or ';' or '\n';
            if (!end) continue;
            if (i > start) result.Add(text[start..i]);
            start = i + 1;
        }
        return result;
    }
}
