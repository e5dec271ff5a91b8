namespace Atelier.Ml.Text;

public enum Aspect
{
    SizeFit,
    Quality,
    Fabric,
    Colour,
    Comfort,
    Price,
}

public enum SizeFitVerdict
{
    None,
    RunsSmall,
    RunsLarge,
    TrueToSize,
}

/// <summary>One aspect mentioned in a sentence, with its polarity (−1, 0 or +1) and the sentence index.</summary>
public readonly record struct AspectMention(Aspect Aspect, int Polarity, int Sentence);

/// <summary>Aspects of one review: the overall size-and-fit verdict and every aspect mention with its polarity.</summary>
public sealed record ReviewAspects(SizeFitVerdict SizeFit, IReadOnlyList<AspectMention> Mentions)
{
    /// <summary>Net polarity of an aspect in this review (sum of mention polarities, clipped to −1..1); null if absent.</summary>
    public int? PolarityOf(Aspect aspect)
    {
        int? total = null;
        foreach (var m in Mentions)
            if (m.Aspect == aspect) total = (total ?? 0) + m.Polarity;
        return total is null ? null : Math.Sign(total.Value);
    }
}
