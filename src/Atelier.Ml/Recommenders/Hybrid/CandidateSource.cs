namespace Atelier.Ml.Recommenders.Hybrid;

/// <summary>Where a hybrid candidate came from; also the "reason" shown with a recommendation.</summary>
public enum CandidateSource { Repurchase = 0, ItemKnn = 1, Als = 2, SameProduct = 3, Trending = 4, Popularity = 5, SegmentPopularity = 6 }

/// <summary>One ranked recommendation with its explanation: the best-ranked source and, for item-based sources,
/// the user's item that led to it (-1 when none).</summary>
public readonly record struct ExplainedItem(int Item, float Score, CandidateSource Source, int BecauseOfItem)
{
    public string Reason => Source switch
    {
        CandidateSource.Repurchase => "buy again",
        CandidateSource.ItemKnn => "because you bought",
        CandidateSource.SameProduct => "another colour of what you bought",
        CandidateSource.Als => "picked for you",
        CandidateSource.Trending => "trending",
        CandidateSource.SegmentPopularity => "popular with customers like you",
        _ => "popular",
    };
}
