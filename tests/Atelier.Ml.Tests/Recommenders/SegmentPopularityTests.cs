using Atelier.Ml.Recommenders;
using Atelier.Ml.Sparse;

namespace Atelier.Ml.Tests.Recommenders;

public sealed class SegmentPopularityTests
{
    // Users 0 and 1 (segment 0) bought item 2 once each; user 2 (segment 1) bought item 0 twice; user 3 (unknown
    // segment) bought item 1 five times. Overall weights: item 1 = 5, items 0 and 2 = 2 each (shares 2/9, 5/9, 2/9).
    private static readonly int[] Segments = [0, 0, 1, -1];

    private static CsrMatrix Purchases() => CsrBuilder.FromTriplets(4, 3, [0, 1, 2, 3], [2, 2, 0, 1], [1f, 1f, 2f, 5f]);

    private static SegmentPopularityRecommender Fitted(float prior)
    {
        var m = new SegmentPopularityRecommender(Segments, prior);
        m.Fit(Purchases());
        return m;
    }

    [Fact]
    public void Each_segment_gets_its_own_smoothed_list_and_unknown_users_the_overall_one()
    {
        var m = Fitted(prior: 1f);
        var batch = m.Recommend([0, 3], Purchases(), 3, filterAlreadyLiked: false);

        // Segment 0 with m = 1: item 2 = (2 + 2/9) / 3, item 1 = (0 + 5/9) / 3, item 0 = (0 + 2/9) / 3.
        Assert.Equal([2, 1, 0], batch.ItemsOf(0).ToArray());
        Assert.Equal([(2 + 2f / 9) / 3, 5f / 9 / 3, 2f / 9 / 3], batch.ScoresOf(0).ToArray(), new FloatTolerance(1e-6f));
        // Unknown segment: overall weights, ties by the lower index.
        Assert.Equal([1, 0, 2], batch.ItemsOf(1).ToArray());
        Assert.Equal([5f, 2f, 2f], batch.ScoresOf(1).ToArray());
        // A new customer known to be in segment 1.
        Assert.Equal([0, 1, 2], m.RecommendSegment(1, 3).ItemsOf(0).ToArray());
        Assert.Equal([1, 0, 2], m.RecommendSegment(-1, 3).ItemsOf(0).ToArray());
        Assert.Equal([1, 0, 2], m.Recommend([99], Purchases(), 3, false).ItemsOf(0).ToArray());
    }

    [Fact]
    public void A_large_prior_falls_back_to_the_overall_ranking()
    {
        var m = Fitted(prior: 1e6f);
        // Overall order; the segment's own purchases only break the overall tie of items 0 and 2.
        Assert.Equal([1, 2, 0], m.Recommend([0], Purchases(), 3, false).ItemsOf(0).ToArray());
        Assert.Equal([1, 0, 2], m.RecommendSegment(1, 3).ItemsOf(0).ToArray());
    }

    [Fact]
    public void Filters_remove_owned_and_excluded_items()
    {
        var m = Fitted(prior: 1f);
        var batch = m.Recommend([0], Purchases(), 3, filterAlreadyLiked: true, filterItems: ItemSet.Of(3, [1]));
        Assert.Equal([0, -1, -1], batch.ItemsOf(0).ToArray());
    }

    [Fact]
    public void Save_load_round_trips_bit_exact()
    {
        var m = Fitted(prior: 3f);
        using var first = new MemoryStream();
        m.Save(first);
        first.Position = 0;
        var loaded = SegmentPopularityRecommender.Load(first);
        using var second = new MemoryStream();
        loaded.Save(second);
        Assert.Equal(first.ToArray(), second.ToArray());
        var a = m.Recommend([0, 1, 2, 3], Purchases(), 3, false);
        var b = loaded.Recommend([0, 1, 2, 3], Purchases(), 3, false);
        Assert.Equal(a.Items, b.Items);
        Assert.Equal(a.Scores, b.Scores);
        Assert.Throws<InvalidDataException>(() => PopularityRecommender.Load<PopularityRecommender>(new MemoryStream(first.ToArray())));
    }

    [Fact]
    public void Segments_below_minus_one_are_rejected() =>
        Assert.Throws<ArgumentException>(() => new SegmentPopularityRecommender([0, -2]));

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => MathF.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }
}
