using System.Numerics.Tensors;
using Atelier.Ml.Recommenders;
using Atelier.Ml.Recommenders.Hybrid;
using Atelier.Ml.Sparse;

namespace Atelier.Ml.Tests.Recommenders;

public sealed class StyleSimilarityTests
{
    // Items: 0 and 1 are two sizes of one dress product; 2, 3, 4 other dresses; 5 jeans; 6 a top (same group as the dresses).
    private static readonly string[] Texts =
    [
        "Linen wrap dress puff sleeves midi", "Linen wrap dress puff sleeves midi",
        "Linen wrap dress short sleeves midi", "Jersey bodycon dress", "Satin slip dress lace trim",
        "Slim jeans stretch denim", "Linen wrap top puff sleeves",
    ];
    //                                             0  1  2  3  4  5  6
    private static readonly ItemCatalog Catalog = new([0, 0, 1, 2, 3, 4, 5], [0, 0, 0, 0, 0, 1, 2], [0, 0, 0, 0, 0, 1, 0], new int[7]);

    // Item-kNN rows: item 0's neighbours are the jeans (bought together, another group) 0.9, dress 3 0.6, dress 4 0.3.
    private static CsrMatrix Neighbours() => CsrBuilder.FromTriplets(7, 7, [0, 0, 0], [5, 3, 4], [0.9f, 0.6f, 0.3f]);

    [Fact]
    public void ScoresAreTextCosinePlusRelativePurchaseSimilarityWithinTheProductGroup()
    {
        var style = new StyleSimilarity(Texts, Catalog);
        var result = style.Similar(0, 10, Neighbours());

        // Naive reference: every item of group 0 outside product 0, cos(text) clamped at 0 + knn / 0.6 (the strongest
        // neighbour inside the group; the jeans are another group and do not count).
        var v = ContentRecommender.Vectorise(Texts, 256);
        float Cos(int a, int b) => TensorPrimitives.Dot(v.AsSpan(a * 256, 256), v.AsSpan(b * 256, 256));
        var knn = new Dictionary<int, float> { [3] = 0.6f / 0.9f, [4] = 0.3f / 0.9f };
        var expected = new[] { 2, 3, 4, 6 }
            .Select(i => (Item: i, Score: Math.Max(Cos(0, i), 0f) + knn.GetValueOrDefault(i)))
            .Where(e => e.Score > 0).OrderByDescending(e => e.Score).ToArray();
        Assert.Equal(expected.Select(e => e.Item), result.Select(r => r.Item));
        for (int k = 0; k < expected.Length; k++) Assert.Equal(expected[k].Score, result[k].Score, 5);

        Assert.DoesNotContain(result, r => r.Item is 0 or 1 or 5); // own product (both sizes), other group
        Assert.Equal(StyleEvidence.Looks, result.Single(r => r.Item == 2).Evidence);        // never bought with it, reads alike
        Assert.True(result.Single(r => r.Item == 3).Evidence.HasFlag(StyleEvidence.Bought));
    }

    [Fact]
    public void OneArticlePerProductExcludedItemsSkippedAndTextOnlyWithoutNeighbours()
    {
        var style = new StyleSimilarity(Texts, Catalog);
        // Anchor 2: items 0 and 1 are one product with the same text; only one of them is listed.
        var result = style.Similar(2, 10, neighbours: null);
        Assert.Single(result, r => r.Item is 0 or 1);
        Assert.Equal(0, result[0].Item); // the lower index wins the tie between the two sizes
        Assert.All(result, r => Assert.False(r.Evidence.HasFlag(StyleEvidence.Bought)));

        var soldOut = ItemSet.Of(7, [0]);
        var without = style.Similar(2, 10, null, soldOut);
        Assert.Equal(1, without[0].Item); // the other size of the same product takes its place
        Assert.Empty(style.Similar(5, 10, null));          // the only item of its group
        Assert.Equal(2, style.Similar(0, 2, Neighbours()).Length);
        Assert.Empty(style.Similar(99, 5, null));
    }
}
