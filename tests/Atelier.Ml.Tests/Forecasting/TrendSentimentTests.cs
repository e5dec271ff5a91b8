using Atelier.Ml.Forecasting;

namespace Atelier.Ml.Tests.Forecasting;

public sealed class TrendSentimentTests
{
    [Fact]
    public void SentimentShiftIsTheShrunkRecentMeanMinusTheShrunkEarlierMean()
    {
        // One review a week for 31 weeks: 0.5 up to week 21, 0.9 from week 22. Origin t = 30, window 4:
        // recent = weeks 23..30 (8 × 0.9), before = weeks 10..22 (12 × 0.5 + 0.9), group mean m = 19.1 / 31, prior 5.
        var sum = new double[31];
        var count = new double[31];
        for (var w = 0; w < 31; w++) { count[w] = 1; sum[w] = w <= 21 ? 0.5 : 0.9; }
        var m = 19.1 / 31;
        var expected = (7.2 + 5 * m) / 13 - (6.9 + 5 * m) / 18;
        var scorer = new TrendScorer(window: 4);
        Assert.Equal(expected, scorer.SentimentShift(new SentimentSeries(sum, count), 30), 12);
        Assert.Equal(0.236339, expected, 5);

        Span<double> f = stackalloc double[TrendScorer.FeatureNames.Length];
        scorer.Features(new double[31], null, new SentimentSeries(sum, count), 30, f);
        Assert.Equal("sentiment_shift", TrendScorer.FeatureNames[6]);
        Assert.Equal(expected, f[6], 12);
        scorer.Features(new double[31], null, null, 30, f);
        Assert.Equal(0, f[6]);
        Assert.Equal(0, scorer.SentimentShift(new SentimentSeries(new double[31], new double[31]), 30));
    }

    [Fact]
    public void AGroupWhoseReviewsWarmUpBeforeItsSalesDoIsRankedFirst()
    {
        // Six groups with flat sales; in every group, a warm-up in review sentiment precedes a sales jump four weeks later.
        // The ridge fit over earlier origins must learn a positive sentiment weight, so the group warming up now leads.
        const int weeks = 130, groups = 6;
        var y = new double[groups][];
        var sentiment = new SentimentSeries?[groups];
        var rng = new Random(3);
        for (var g = 0; g < groups; g++)
        {
            y[g] = new double[weeks];
            var sum = new double[weeks];
            var count = new double[weeks];
            for (var w = 0; w < weeks; w++) { y[g][w] = 10 + rng.Next(3); count[w] = 2; sum[w] = 2 * 0.2; }
            // Warm-ups at staggered weeks (group 2's latest one starts at week 126, so it is warming up now).
            for (var start = 70 + g * 7; start < weeks; start += 42)
            {
                for (var w = start; w < Math.Min(weeks, start + 8); w++) sum[w] = 2 * 0.9;
                for (var w = start + 8; w < Math.Min(weeks, start + 12); w++) y[g][w] = 30;
            }
            sentiment[g] = new SentimentSeries(sum, count);
        }
        var scorer = new TrendScorer(window: 4);
        var t = weeks - 1;
        scorer.Fit(y, null, scorer.MinOrigin, t - 4, sentiment);
        Assert.True(scorer.Weights[7] > 0, $"sentiment weight {scorer.Weights[7]}");
        var ranked = scorer.Rank(y, null, t, sentiment);
        Assert.True(ranked[0].SentimentShift > 0.2, $"top group's shift {ranked[0].SentimentShift}");
    }
}
