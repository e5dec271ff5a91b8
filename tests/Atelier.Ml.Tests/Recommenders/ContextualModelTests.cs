using Atelier.Ml.Recommenders;
using Atelier.Ml.Recommenders.Hybrid;
using Atelier.Ml.Sparse;

namespace Atelier.Ml.Tests.Recommenders;

public sealed class ContextualModelTests
{
    [Fact]
    public void Content_NearestItemSharesTheWords()
    {
        string[] texts = ["red cotton summer dress", "blue denim jeans slim", "red cotton summer dress with belt", "leather ankle boots"];
        var c = new ContentRecommender(texts, 256);
        c.Fit(CsrBuilder.FromTriplets(1, 4, [0, 0, 0, 0], [0, 1, 2, 3], [1, 1, 1, 1]));
        Assert.Equal(2, c.SimilarItems(0, 1).Items[0]);
        var user = CsrBuilder.FromTriplets(1, 4, [0], [2], [1f]);
        Assert.Equal(0, c.Recommend([0], user, 1).Items[0]);
        using var ms = new MemoryStream();
        c.Save(ms);
        ms.Position = 0;
        var back = ContentRecommender.Load(ms);
        Assert.Equal(c.Vector(3).ToArray(), back.Vector(3).ToArray());
    }

    [Fact]
    public void Session_RerankingMovesTowardsTheBrowsedCategory()
    {
        // items 0–4 dresses (category 1), 5–9 shoes (category 2); shoes are trending.
        int[] category = [1, 1, 1, 1, 1, 2, 2, 2, 2, 2];
        var trendScores = new float[] { 1, 1, 1, 1, 1, 9, 8, 7, 6, 5 };
        int[] trendRanked = [5, 6, 7, 8, 9, 0, 1, 2, 3, 4];
        // weak co-view links from dresses to shoes only
        var nb = CsrBuilder.FromTriplets(10, 10, [0, 1], [5, 6], [0.05f, 0.05f]);
        var s = new SessionRecommender(nb, category, trendRanked, trendScores);
        var cold = s.Recommend([], 3);
        Assert.All(cold.ItemsOf(0).ToArray(), i => Assert.Equal(2, category[i]));
        var browsing = s.Recommend([0, 1, 2], 2);
        Assert.All(browsing.ItemsOf(0).ToArray(), i => Assert.Equal(1, category[i]));
        var context = s.Recommend([], 2, contextCategory: 1);
        Assert.All(context.ItemsOf(0).ToArray(), i => Assert.Equal(1, category[i]));
    }

    [Fact]
    public void Outfit_ComplementsFromOtherGroups_NeverSameType()
    {
        // items: 0 top (group 0, type 10), 1 top (group 0, type 10), 2 trousers (group 1, type 20), 3 shoes (group 2, type 30)
        var catalog = new ItemCatalog([0, 1, 2, 3], [10, 10, 20, 30], [0, 0, 1, 2], [1, 2, 1, 3]);
        // baskets: (u0,d1) {0,2}, (u1,d1) {0,2}, (u2,d1) {0,3}, (u3,d2) {0,1}
        var log = new InteractionLog(4, 4, [0, 0, 1, 1, 2, 2, 3, 3], [0, 2, 0, 2, 0, 3, 0, 1], [1, 1, 1, 1, 1, 1, 2, 2], new float[8]);
        var o = new OutfitRecommender(catalog);
        o.Fit(log);
        var recs = o.Complete([0], 3).ItemsOf(0).ToArray();
        Assert.Equal(2, recs[0]);
        Assert.Equal(3, recs[1]);
        Assert.DoesNotContain(1, recs); // same product type as the cart item
    }

    [Fact]
    public void Outfit_SaveLoad_RoundTripsBitExact()
    {
        var catalog = new ItemCatalog([0, 1, 2, 3], [10, 10, 20, 30], [0, 0, 1, 2], [1, 2, 1, 3]);
        var log = new InteractionLog(4, 4, [0, 0, 1, 1, 2, 2, 3, 3], [0, 2, 0, 2, 0, 3, 0, 1], [1, 1, 1, 1, 1, 1, 2, 2], new float[8]);
        var o = new OutfitRecommender(catalog);
        o.Fit(log);
        using var ms = new MemoryStream();
        o.Save(ms);
        ms.Position = 0;
        var back = OutfitRecommender.Load(ms, catalog);
        foreach (int[] cart in new[] { new[] { 0 }, [2], [3], [0, 3] })
        {
            var a = o.Complete(cart, 4);
            var b = back.Complete(cart, 4);
            Assert.Equal(a.ItemsOf(0).ToArray(), b.ItemsOf(0).ToArray());
            Assert.Equal(a.ScoresOf(0).ToArray(), b.ScoresOf(0).ToArray());
        }
    }
}
