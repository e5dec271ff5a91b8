namespace Atelier.Ml.Text;

/// <summary>Per-aspect counts of positive/negative reviews of one product.</summary>
public readonly record struct AspectTally(Aspect Aspect, int Positive, int Negative, int Mentions);

/// <summary>
/// Aggregates review aspects of one product: size-and-fit verdict counts, per-aspect polarity tallies and, when a
/// clear majority of the sized reviews agree (≥ MajorityShare of at least MinReviews), a shopper-facing advice line.
/// </summary>
public sealed record ProductAspectSummary(int Reviews, int RunsSmall, int RunsLarge, int TrueToSize,
    IReadOnlyList<AspectTally> Aspects, SizeFitVerdict Consensus, string? Advice)
{
    public const double MajorityShare = 0.6;
    public const int MinReviews = 3;

    public static ProductAspectSummary Summarize(IEnumerable<ReviewAspects> reviews)
    {
        int n = 0, small = 0, large = 0, tts = 0;
        var pos = new int[6];
        var neg = new int[6];
        var mentions = new int[6];
        foreach (var r in reviews)
        {
            n++;
            switch (r.SizeFit)
            {
                case SizeFitVerdict.RunsSmall: small++; break;
                case SizeFitVerdict.RunsLarge: large++; break;
                case SizeFitVerdict.TrueToSize: tts++; break;
            }
            for (var a = 0; a < 6; a++)
            {
                if (r.PolarityOf((Aspect)a) is not { } p) continue;
                mentions[a]++;
                if (p > 0) pos[a]++;
                else if (p < 0) neg[a]++;
            }
        }
        var tallies = new AspectTally[6];
        for (var a = 0; a < 6; a++) tallies[a] = new AspectTally((Aspect)a, pos[a], neg[a], mentions[a]);
        var sized = small + large + tts;
        var consensus = SizeFitVerdict.None;
        if (sized >= MinReviews)
        {
            if (small >= MajorityShare * sized) consensus = SizeFitVerdict.RunsSmall;
            else if (large >= MajorityShare * sized) consensus = SizeFitVerdict.RunsLarge;
            else if (tts >= MajorityShare * sized) consensus = SizeFitVerdict.TrueToSize;
        }
        var advice = consensus switch
        {
            SizeFitVerdict.RunsSmall => $"Most buyers say it runs small ({small} of {sized}): consider one size up.",
            SizeFitVerdict.RunsLarge => $"Most buyers say it runs large ({large} of {sized}): consider one size down.",
            SizeFitVerdict.TrueToSize => $"Most buyers say it fits true to size ({tts} of {sized}).",
            _ => null,
        };
        return new ProductAspectSummary(n, small, large, tts, tallies, consensus, advice);
    }
}
