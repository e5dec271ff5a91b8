using Atelier.Services.Datasets;
using Atelier.Services.Recommendations;

namespace Atelier.Ml.Tests.Recommenders;

/// <summary>The product page's similar styles on the real H&amp;M split (docs/models.md, "Similar styles").</summary>
public sealed class SimilarItemsEvaluationTests
{
    [Fact]
    public void OnHmStyleListsAreAlternativesOfTheAnchorsGroupAndKeepMostOfTheCoPurchaseSignal()
    {
        if (!DataPaths.TryGet(HmData.Folder, out _)) Assert.Skip("shared/data/hm_personalized_fashion is absent");
        var result = SimilarItemsEvaluation.Run(RecsDataset.Load("hm"));
        var knn = result.Models.Single(m => m.Name == "item_knn");
        var style = result.Models.Single(m => m.Name == "style");

        Assert.Equal(3_949, result.Anchors);
        Assert.True(knn.SameTypeShare < 0.3, $"item-kNN same type {knn.SameTypeShare:P0}"); // what the page used to show
        Assert.Equal(1.0, style.SameGroupShare);
        Assert.True(style.SameTypeShare > 2 * knn.SameTypeShare, $"style same type {style.SameTypeShare:P0}");
        Assert.True(style.HitRateAt12 >= 0.8 * knn.HitRateAt12, $"style hit rate {style.HitRateAt12:F4} vs item-kNN {knn.HitRateAt12:F4}");
        Assert.True(style.UnsoldShare > 0, "no new arrival reached");
        Assert.Equal(0.0, knn.UnsoldShare);
    }
}
