using Atelier.Ml.Recommenders;
using Atelier.Ml.Recommenders.Hybrid;

namespace Atelier.Ml.Tests.Recommenders;

public sealed class HybridFeatureTests
{
    // Items 0 and 1 are variants of product 0; item 2 = product 1; item 3 = product 2. Cutoff day 10.
    //   user 0: item 0 on days 1, 5, 5; item 2 on day 5; item 1 on day 9
    //   user 1: item 0 on day 2; item 3 on day 9
    //   user 2: item 3 on days 8, 9
    private static HybridModel Small()
    {
        int[] u = [0, 0, 0, 0, 0, 1, 1, 2, 2];
        int[] i = [0, 0, 0, 2, 1, 0, 3, 3, 3];
        int[] d = [1, 5, 5, 5, 9, 2, 9, 8, 9];
        float[] p = [1, 1, 1, 2, 4, 1, 3, 3, 3];
        var log = new InteractionLog(3, 4, u, i, d, p);
        var catalog = new ItemCatalog([0, 0, 1, 2], new int[4], new int[4], new int[4]);
        var options = new HybridOptions { CandidatesPerSource = 4, Als = new AlsOptions(Factors: 2, Iterations: 2) };
        return new HybridModel(log, catalog, 10, options);
    }

    private static float Feature(UserCandidates c, int item, string name)
    {
        int row = Array.IndexOf(c.Items, item), col = Array.IndexOf(HybridFeatures.Names, name);
        Assert.True(row >= 0 && col >= 0, $"{item} / {name}");
        return c.Features[row * HybridFeatures.Count + col];
    }

    [Fact]
    public void RepeatStatistics_MatchHandCount()
    {
        var m = Small();
        // Item 0: buyers {0, 1}, user 0 bought it on two days → repeat rate 1/2; item 3: user 2 twice → 1/2.
        Assert.Equal([2, 1, 1, 2], m.ItemBuyers);
        Assert.Equal([1, 0, 0, 1], m.ItemRepeatBuyers);
        // User 0 re-bought 1 of 3 items; user 1 none; user 2 all.
        Assert.Equal([1f / 3, 0f, 1f], m.UserRepeatRatio);
        // Purchase days {1,5,9}, {2,9}, {8,9} → mean gaps 4, 7, 1.
        Assert.Equal([3, 2, 2], m.UserDays);
        Assert.Equal(4f, m.UserInterval(0));
        Assert.Equal(7f, m.UserInterval(1));
        Assert.Equal(1f, m.UserInterval(2));
        // Day 9 alone: item 3 twice, item 1 once, the rest unsold (shared last rank).
        Assert.Equal([3, 2, 3, 1], m.ItemPopularityRank1);
        // Days 3..9: item 3 ×3, item 0 ×2, items 1 and 2 ×1 (ties by index).
        Assert.Equal([2, 3, 4, 1], m.ItemPopularityRank7);
    }

    [Fact]
    public void PairFeatures_ForUserZero()
    {
        var m = Small();
        var c = HybridFeatures.Build(m, [0])[0];
        Assert.Equal(0.5f, Feature(c, 0, "item_repeat_rate"));
        Assert.Equal(2f, Feature(c, 0, "pair_days"));
        Assert.Equal(4f, Feature(c, 0, "pair_interval_days")); // days 1 and 5
        Assert.Equal(5f, Feature(c, 0, "pair_days_since_last")); // 10 - 5
        Assert.Equal(1.25f, Feature(c, 0, "pair_since_over_user_interval"));
        Assert.Equal(1.25f, Feature(c, 0, "pair_since_over_pair_interval"));
        // Product 0 = items 0 (2 days) and 1 (1 day).
        Assert.Equal(3f, Feature(c, 0, "user_product_days"));
        Assert.Equal(3f, Feature(c, 1, "user_product_days"));
        Assert.Equal(1f, Feature(c, 1, "pair_days"));
        Assert.True(float.IsNaN(Feature(c, 1, "pair_interval_days")));
        Assert.Equal(4f, Feature(c, 0, "user_interval_days"));
        // Cold users: repeat-purchase features undefined.
        var cold = HybridFeatures.Build(m, [-1])[0];
        Assert.True(float.IsNaN(Feature(cold, 3, "item_repeat_rate")));
        Assert.True(float.IsNaN(Feature(cold, 3, "user_interval_days")));
    }

    [Fact]
    public void LogisticRanker_ImputesMissingValues()
    {
        // Column 1 is NaN on half the rows; column 0 alone separates the labels.
        float[] x = [0, float.NaN, 1, 5, 0, 6, 1, float.NaN];
        var r = new LogisticRanker();
        r.Fit(x, 4, 2, [0, 1, 0, 1], [4]);
        Assert.True(r.Score([1f, float.NaN]) > r.Score([0f, float.NaN]));
        Assert.False(float.IsNaN(r.Score([1f, float.NaN])));
    }

    private sealed class Constant(float slope, float offset) : IRanker
    {
        public string Name => "c";
        public void Fit(float[] features, int rows, int cols, float[] labels, int[] groupSizes) { }
        public float Score(ReadOnlySpan<float> row) => slope * row[0] + offset;
        public void Write(BinaryWriter w) => throw new NotSupportedException();
    }

    [Fact]
    public void EnsembleRanker_SumsStandardisedScores()
    {
        // Member scores over the rows x = 0, 1, 2, 3: 10x (mean 15, sd 10·√1.25) and x + 100 (mean 101.5, sd √1.25).
        // Both standardise to (x − 1.5)/√1.25, so the ensemble scores 2(x − 1.5)/√1.25.
        var e = new EnsembleRanker(new Constant(10, 0), new Constant(1, 100));
        e.Fit([0, 1, 2, 3], 4, 1, [0, 0, 1, 1], [4]);
        Assert.Equal("c+c", e.Name);
        Assert.Equal(2 * (3 - 1.5f) / MathF.Sqrt(1.25f), e.Score([3f]), 4);
        Assert.Equal(0f, e.Score([1.5f]), 4);
    }
}
