using Atelier.Ml.Text;
using Atelier.Services.Datasets;
using Atelier.Services.Reviews;

namespace Atelier.Ml.Tests.Text;

public sealed class ReviewDataTests
{
    [Fact]
    public void WomensReviewsHaveThePublishedCounts()
    {
        if (!DataPaths.TryGet(ReviewDatasets.WomensFolder, out _)) Assert.Skip("shared/data/womens_ecommerce_clothing_reviews is absent");
        var rows = ReviewDatasets.ReadWomens();
        // 23,486 rows minus those with neither title nor text.
        Assert.Equal(22_642, rows.Count);
        Assert.Equal(23_485, rows[^1].Index);
        Assert.All(rows, r => Assert.InRange(r.Rating, 1, 5));
        Assert.Contains(rows, r => r.Text.Contains('\n'));
    }

    [Fact]
    public void SizeFitLabelsPointAtReviewsAndTheExtractorFindsSome()
    {
        if (!DataPaths.TryGet(ReviewDatasets.WomensFolder, out _)) Assert.Skip("shared/data/womens_ecommerce_clothing_reviews is absent");
        var path = SizeFitLabels.Find();
        Assert.NotNull(path);
        using var reader = new StreamReader(path);
        var labels = SizeFitLabels.Read(reader);
        Assert.True(labels.Count >= 200);
        var texts = ReviewDatasets.ReadWomens().ToDictionary(r => r.Index, r => r.Text);
        Assert.All(labels, l => Assert.True(texts.ContainsKey(l.Index)));
        var figures = SizeFitLabels.Score(labels, texts, new AspectExtractor());
        Assert.True(figures.Precision > 0.5 && figures.Recall > 0.3, $"{figures}");
    }

    [Fact]
    public void AmazonReviewsDropDuplicatesAndEmptyRows()
    {
        if (!DataPaths.TryGet(ReviewDatasets.AmazonFolder, out _)) Assert.Skip("shared/data/amazon_fashion_reviews is absent");
        var rows = ReviewDatasets.ReadAmazon();
        // 3,176 lines, about 68 exact duplicates (README).
        Assert.InRange(rows.Count, 3_100, 3_110);
        Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Text)));
    }
}
