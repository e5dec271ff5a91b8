using Atelier.Ml.Forecasting;

namespace Atelier.Services.Forecasting;

public sealed record TrendBacktestResult(string Kind, int Groups, int Origins, int Window, double Recall5, double Recall10,
    double BaselineRecall5, double BaselineRecall10, double[] Weights);

public sealed record TrendItem(string Group, double Score, double UnitsPerWeek, double Growth, double Acceleration,
    double SeasonalGrowth, double NewArticleShare, string Explanation);

/// <summary>
/// Top-K trend recall: using data up to week t, do the K groups predicted to grow fastest over weeks t+1..t+w contain
/// the actual K fastest-growing ones? Baseline: rank by last period's growth. The scorer is refit at each origin on
/// origins whose targets were already observed.
/// </summary>
public static class TrendBacktest
{
    public static TrendBacktestResult Run(string kind, double[][] groups, double[]?[] fresh, int window = 4, int minTrainOrigins = 8)
    {
        var scorer = new TrendScorer(window);
        int weeks = groups[0].Length;
        double r5 = 0, r10 = 0, b5 = 0, b10 = 0;
        int origins = 0;
        for (int t = scorer.MinOrigin + minTrainOrigins + window; t + window < weeks; t++)
        {
            scorer.Fit(groups, fresh, scorer.MinOrigin, t - window);
            var predicted = scorer.Rank(groups, fresh, t).Select(s => s.Group).ToList();
            var actual = Order(groups.Length, g => scorer.FutureGrowth(groups[g], t));
            var baseline = Order(groups.Length, g => scorer.Growth(groups[g], t));
            r5 += TrendScorer.RecallAtK(predicted, actual, 5); r10 += TrendScorer.RecallAtK(predicted, actual, 10);
            b5 += TrendScorer.RecallAtK(baseline, actual, 5); b10 += TrendScorer.RecallAtK(baseline, actual, 10);
            origins++;
        }
        scorer.Fit(groups, fresh, scorer.MinOrigin, weeks - 1 - window);
        return new TrendBacktestResult(kind, groups.Length, origins, window, r5 / origins, r10 / origins, b5 / origins,
            b10 / origins, scorer.Weights);
    }

    /// <summary>The current ranking (latest week) with a one-line explanation from the largest contributions.</summary>
    public static List<TrendItem> Current(string[] names, double[][] groups, double[]?[] fresh, int top, int window = 4)
    {
        var scorer = new TrendScorer(window);
        int t = groups[0].Length - 1;
        scorer.Fit(groups, fresh, scorer.MinOrigin, t - window);
        return [.. scorer.Rank(groups, fresh, t).Take(top).Select(s => new TrendItem(names[s.Group], Math.Round(s.Score, 4),
            Math.Round(s.Velocity, 2), Math.Round(s.Growth, 4), Math.Round(s.Acceleration, 4), Math.Round(s.SeasonalGrowth, 4),
            Math.Round(s.NewArticleShare, 3), Explain(s)))];
    }

    private static string Explain(TrendScore s)
    {
        var parts = s.Contributions.Select((c, i) => (c, name: TrendScorer.FeatureNames[i]))
            .OrderByDescending(x => Math.Abs(x.c)).Take(2)
            .Select(x => $"{x.name.Replace('_', ' ')} {(x.c >= 0 ? "+" : "")}{x.c:F2}");
        return $"predicted 4-week log-growth {(s.Score >= 0 ? "+" : "")}{s.Score:F2} (largest contributions: " + string.Join(", ", parts) + ")";
    }

    private static List<int> Order(int n, Func<int, double> key) =>
        [.. Enumerable.Range(0, n).OrderByDescending(key).ThenBy(i => i)];
}
