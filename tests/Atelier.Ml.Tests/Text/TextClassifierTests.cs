using Atelier.Ml.Text;

namespace Atelier.Ml.Tests.Text;

public sealed class TextClassifierTests
{
    private static readonly string[] Docs =
    [
        "love it, fits great", "beautiful and soft, love", "great dress, love the colour", "perfect fit, great quality",
        "terrible quality, returned", "awful fit, returned it", "cheap fabric, awful", "hate it, returning",
        "it is okay, nothing special", "okay but the fit is meh", "fine, just okay", "meh colour, okay fabric",
    ];

    private static readonly int[] Labels = [2, 2, 2, 2, 0, 0, 0, 0, 1, 1, 1, 1];

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void SaveLoadRoundTripGivesIdenticalPredictions(bool nb, bool dense)
    {
        var options = new TextClassifierOptions
        {
            Tfidf = new TfidfOptions { MinDf = 1, CharNgramMin = 2, CharNgramMax = 4 },
            Regression = new LogisticRegressionOptions { C = 10 },
            NaiveBayesScaling = nb,
            BalancedClassWeights = true,
        };
        var extra = dense ? Enumerable.Range(0, Docs.Length).Select(i => (float)(Labels[i] - 1)).ToArray() : null;
        var model = TextClassifier.Fit(Docs, Labels, 3, options, extra, dense ? 1 : 0);
        model.Offsets[1] = 0.05f;
        Assert.Equal(Labels, model.Predict(Docs, extra));
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        var loaded = TextClassifier.Load(stream);
        Assert.Equal(model.PredictProba(Docs, extra), loaded.PredictProba(Docs, extra));
        Assert.Equal(model.Offsets, loaded.Offsets);
        var unseen = new[] { "love the fit", "awful, returned" };
        var unseenExtra = dense ? new float[] { 1, -1 } : null;
        Assert.Equal(model.Predict(unseen, unseenExtra), loaded.Predict(unseen, unseenExtra));
    }

    [Fact]
    public void BinaryClassifierSeparatesSentiment()
    {
        var binary = Labels.Select(l => l == 2 ? 1 : 0).ToArray();
        var model = TextClassifier.Fit(Docs, binary, 2, new TextClassifierOptions
        {
            Tfidf = new TfidfOptions { MinDf = 1 },
            Regression = new LogisticRegressionOptions { C = 10 },
        });
        Assert.Equal(binary, model.Predict(Docs));
    }

    [Fact]
    public void LogCountRatiosMatchHandComputation()
    {
        // Column 0 only in positives (sum 2), column 1 only in negatives (sum 1); α = 1.
        var x = new SparseRows(2, [0, 1, 2, 3], [0, 0, 1], [1f, 1f, 1f]);
        var r = TextClassifier.LogCountRatios(x, [1, 1, 0], 1f, 2);
        // p = (3, 1)/4, q = (1, 2)/3.
        Assert.Equal(Math.Log(3.0 / 4 / (1.0 / 3)), r[0], 5);
        Assert.Equal(Math.Log(1.0 / 4 / (2.0 / 3)), r[1], 5);
    }
}
