using Atelier.Ml.Forecasting;

namespace Atelier.Ml.Tests.Forecasting;

public sealed class ReconciliationTests
{
    // total(0) → A(1), B(2); A → A1(3), A2(4); B → B1(5)
    private static readonly int[] Parents = [-1, 0, 0, 1, 1, 2];

    private static void AssertCoherent(double[] y)
    {
        Assert.Equal(y[3] + y[4], y[1], 8);
        Assert.Equal(y[5], y[2], 8);
        Assert.Equal(y[1] + y[2], y[0], 8);
    }

    [Fact]
    public void SummingMatrixAndBottomUp()
    {
        var rec = Reconciliation.FromParents(Parents, out var bottom);
        Assert.Equal([3, 4, 5], bottom);
        var y = rec.BottomUp([1, 2, 4]);
        Assert.Equal([7, 3, 4, 1, 2, 4], y);
    }

    [Fact]
    public void MinTIsCoherentAndOlsWithIdentityW()
    {
        var rec = Reconciliation.FromParents(Parents, out _);
        double[] baseF = [100, 45, 50, 20, 30, 52];
        var rng = new Random(5);
        var res = new double[200 * 6];
        for (int t = 0; t < 200; t++)
        {
            double a1 = rng.NextDouble(), a2 = rng.NextDouble(), b1 = 2 * rng.NextDouble();
            double[] r = [a1 + a2 + b1 + 0.3 * rng.NextDouble(), a1 + a2, b1, a1, a2, b1];
            r.CopyTo(res, t * 6);
        }
        var w = Reconciliation.ShrinkCovariance(res, 200, 6, out double lambda);
        Assert.InRange(lambda, 0, 1);
        var y = rec.Apply(rec.MinTProjection(w), baseF);
        AssertCoherent(y);
        // W = I: OLS, ỹ = S (S'S)⁻¹ S' ŷ; check against a hand-solved normal equation
        var identity = new double[36];
        for (int i = 0; i < 6; i++) identity[i * 7] = 1;
        var ols = rec.Apply(rec.MinTProjection(identity), baseF);
        AssertCoherent(ols);
        // S'S = [[3,2,1],[2,3,1],[1,1,3]], S'ŷ = [165, 175, 202] → by elimination b1 - b2 = -10,
        // 5 b1 + b3 = 145, 2 b1 + 3 b3 = 192 → b1 = 243/13, b2 = b1 + 10, b3 = 145 - 5 b1
        double b1x = 243.0 / 13, b2x = b1x + 10, b3x = 145 - 5 * b1x;
        Assert.Equal(b1x, ols[3], 8);
        Assert.Equal(b2x, ols[4], 8);
        Assert.Equal(b3x, ols[5], 8);
        // a coherent base forecast is left unchanged
        var coherent = rec.BottomUp([10, 20, 30]);
        var same = rec.Apply(rec.MinTProjection(w), coherent);
        for (int i = 0; i < 6; i++) Assert.Equal(coherent[i], same[i], 6);
    }
}
