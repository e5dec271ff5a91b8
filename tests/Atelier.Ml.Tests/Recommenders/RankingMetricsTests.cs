using Atelier.Ml.Evaluation;

namespace Atelier.Ml.Tests.Recommenders;

public sealed class RankingMetricsTests
{
    private static readonly HashSet<int> Actual = [2, 4, 9];

    [Fact]
    public void AveragePrecision_IsKaggleMap12_HandComputed()
    {
        // hits at ranks 2 and 4: (1/2 + 2/4) / min(3, 12)
        Assert.Equal(1.0 / 3, RankingMetrics.AveragePrecision([1, 2, 3, 4], Actual), 12);
        // a duplicate prediction counts once
        Assert.Equal((1.0 + 0) / 3, RankingMetrics.AveragePrecision([2, 2, 7], Actual), 12);
        // only the first 12 count; the divisor is min(|actual|, 12)
        var many = Enumerable.Range(100, 20).ToHashSet();
        int[] pred = [.. Enumerable.Range(0, 11), 100, 101];
        // one hit, at rank 12 (precision 1/12); rank 13 is ignored
        Assert.Equal(1.0 / 12 / 12, RankingMetrics.AveragePrecision(pred, many), 12);
    }

    [Fact]
    public void PrecisionRecallNdcg_HandComputed()
    {
        int[] pred = [1, 2, 3, 4];
        Assert.Equal(2.0 / 12, RankingMetrics.Precision(pred, Actual), 12);
        Assert.Equal(2.0 / 3, RankingMetrics.Recall(pred, Actual), 12);
        double dcg = 1 / Math.Log2(3) + 1 / Math.Log2(5);
        double idcg = 1 + 1 / Math.Log2(3) + 1 / Math.Log2(4);
        Assert.Equal(dcg / idcg, RankingMetrics.Ndcg(pred, Actual), 12);
    }

    [Fact]
    public void Evaluate_AveragesOverUsers_AndCountsCoverage()
    {
        int[] flat = [2, 4, 9, 1, -1, -1];
        var r = RankingMetrics.Evaluate(flat, 3, [new HashSet<int> { 2, 4, 9 }, new HashSet<int> { 5 }], catalogueSize: 10);
        Assert.Equal(0.5, r.MapAtK, 12);
        Assert.Equal(0.4, r.Coverage, 12);
    }
}
