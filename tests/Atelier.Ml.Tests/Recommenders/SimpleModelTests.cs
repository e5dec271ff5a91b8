using Atelier.Ml.Recommenders;
using Atelier.Ml.Sparse;

namespace Atelier.Ml.Tests.Recommenders;

public sealed class SimpleModelTests
{
    // users × items: u0 {0,1}, u1 {0,1}, u2 {1,2}, u3 {3}
    internal static CsrMatrix Tiny() => CsrBuilder.FromTriplets(4, 4, [0, 0, 1, 1, 2, 2, 3], [0, 1, 0, 1, 1, 2, 3], [1, 1, 1, 1, 1, 1, 1]);

    [Fact]
    public void Popularity_RanksByColumnSum_AndFiltersOwnedAndExcluded()
    {
        var m = new PopularityRecommender();
        m.Fit(Tiny());
        var all = m.Recommend([3], Tiny(), 3, filterAlreadyLiked: false);
        Assert.Equal([1, 0, 2], all.ItemsOf(0).ToArray());
        var filtered = m.Recommend([0], Tiny(), 3, filterAlreadyLiked: true, filterItems: ItemSet.Of(4, [2]));
        Assert.Equal([3, -1, -1], filtered.ItemsOf(0).ToArray());
    }

    [Fact]
    public void Trending_PrefersGrowingItems()
    {
        var recent = CsrBuilder.FromTriplets(3, 2, [0, 1, 2, 0], [0, 0, 0, 1], [1, 1, 1, 1]);
        var previous = CsrBuilder.FromTriplets(3, 2, [0, 1, 2, 0, 1, 2], [0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1]);
        var t = new TrendingRecommender();
        t.Fit(recent, previous, 7, 7);
        // item0: 3·clamp(4/7) = 1.714; item1: 1·clamp(2/1 = 2) = 2
        Assert.Equal(1, t.RankedItems[0]);
        Assert.Equal(2f, t.Scores[1], 5);
        Assert.Equal(3f * 4f / 7f, t.Scores[0], 5);
    }

    [Fact]
    public void Repurchase_ReturnsOwnItemsByWeight()
    {
        var w = CsrBuilder.FromTriplets(2, 5, [0, 0, 0], [4, 1, 2], [0.5f, 2f, 1f]);
        var r = new RepurchaseRecommender();
        r.Fit(w);
        var b = r.Recommend([0, 1], w, 4, filterAlreadyLiked: false);
        Assert.Equal([1, 2, 4, -1], b.ItemsOf(0).ToArray());
        Assert.Equal([-1, -1, -1, -1], b.ItemsOf(1).ToArray());
    }

    [Fact]
    public void ItemKnn_Cosine_MatchesNaiveComputation()
    {
        var ui = Tiny();
        var knn = new ItemKnnRecommender(ItemSimilarity.Cosine, k: 10);
        knn.Fit(ui);
        // naive cosine over item columns
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
            {
                if (i == j) continue;
                double dot = 0, ni = 0, nj = 0;
                for (int u = 0; u < 4; u++)
                {
                    dot += ui.Get(u, i) * ui.Get(u, j);
                    ni += ui.Get(u, i) * ui.Get(u, i);
                    nj += ui.Get(u, j) * ui.Get(u, j);
                }
                Assert.Equal(dot == 0 ? 0 : dot / Math.Sqrt(ni * nj), knn.Neighbours.Get(i, j), 5);
            }
        // a user who bought only item 0 gets item 1 (cosine 0.816), then nothing else with a positive score
        var one = CsrBuilder.FromTriplets(1, 4, [0], [0], [1f]);
        var rec = knn.Recommend([0], one, 3);
        Assert.Equal([1, -1, -1], rec.ItemsOf(0).ToArray());
        Assert.Equal(2 / Math.Sqrt(6), rec.ScoresOf(0)[0], 5);
        Assert.Equal(1, knn.SimilarItems(2, 1).Items[0]);
    }

    [Fact]
    public void ItemKnn_Bm25_RanksCoPurchasedItemFirst()
    {
        var knn = new ItemKnnRecommender(ItemSimilarity.Bm25, k: 10);
        knn.Fit(Tiny());
        Assert.Equal(1, knn.SimilarItems(0, 1).Items[0]);
        Assert.Equal(0f, knn.Neighbours.Get(0, 3));
    }

    [Fact]
    public void SaveLoad_RoundTripsBitExact()
    {
        var knn = new ItemKnnRecommender(ItemSimilarity.Bm25, k: 3);
        knn.Fit(Tiny());
        using var ms = new MemoryStream();
        knn.Save(ms);
        ms.Position = 0;
        var back = ItemKnnRecommender.Load(ms);
        Assert.Equal(knn.Neighbours.Values, back.Neighbours.Values);
        Assert.Equal(knn.Neighbours.Indices, back.Neighbours.Indices);

        var pop = new PopularityRecommender();
        pop.Fit(Tiny());
        using var ms2 = new MemoryStream();
        pop.Save(ms2);
        ms2.Position = 0;
        Assert.Equal(pop.Scores.ToArray(), PopularityRecommender.Load<PopularityRecommender>(ms2).Scores.ToArray());
    }
}
