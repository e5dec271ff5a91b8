using Atelier.Ml.Forecasting;

namespace Atelier.Ml.Tests.Forecasting;

public sealed class ForecastingMathTests
{
    [Fact]
    public void MetricsMatchHandComputation()
    {
        double[] hist = [10, 12, 9, 13]; // |Δ| = 2, 3, 4 → scale 3
        double[] a = [12, 8];
        double[] f = [10, 10];
        Assert.Equal(3, ForecastMetrics.NaiveScale(hist), 12);
        Assert.Equal(2.0 / 3, ForecastMetrics.Mase(a, f, 3), 12);
        Assert.Equal(2, ForecastMetrics.Rmse(a, f), 12);
        Assert.Equal(4.0 / 20, ForecastMetrics.Wape(a, f), 12);
        Assert.Equal((4.0 / 22 + 4.0 / 18) / 2, ForecastMetrics.Smape(a, f), 12);
        Assert.Equal(1, ForecastMetrics.Covered(a, [11, 9], [13, 9.5]));
    }

    [Fact]
    public void BaselinesMatchDefinitions()
    {
        double[] y = [1, 2, 3, 4, 5, 6, 7];
        Assert.Equal([7, 7], Baselines.Naive(y, 2).Mean);
        Assert.Equal([5, 6, 7, 5], Baselines.SeasonalNaive(y, 3, 4).Mean);
        Assert.Equal([6, 6], Baselines.MovingAverage(y, 3, 2).Mean);
        Assert.Equal([5.5], Baselines.MovingMedian(y, 4, 1).Mean);
        Assert.Equal([5], Baselines.MovingMedian(y, 5, 1).Mean);
    }

    [Fact]
    public void CrostonAndTsbMatchHandRecursion()
    {
        double[] y = [0, 4, 0, 0, 2];
        // Croston α=0.5: first demand 4 at t=1 → z=4, p=2; t=4 demand 2 after 3 periods → z=3, p=2.5 → 1.2
        Assert.Equal(1.2, Intermittent.Run(y, IntermittentMethod.Croston, 0.5, 0.5, out _), 12);
        Assert.Equal(1.2 * 0.75, Intermittent.Run(y, IntermittentMethod.Sba, 0.5, 0.5, out _), 12);
        // TSB α=β=0.5: p0 = 1/2, z=4; t2: p=.25; t3: p=.125; t4: p=.5625, z=3 → 1.6875
        Assert.Equal(1.6875, Intermittent.Run(y, IntermittentMethod.Tsb, 0.5, 0.5, out _), 12);
    }

    [Fact]
    public void NormalQuantileAndCdfAreAccurate()
    {
        Assert.Equal(1.6448536269514722, Normal.Quantile(0.95), 6);
        Assert.Equal(-2.3263478740408408, Normal.Quantile(0.01), 6);
        Assert.Equal(0.975, Normal.Cdf(1.959963984540054), 6);
    }

    [Fact]
    public void InventoryMathMatchesHandCases()
    {
        Assert.Equal(2.5, Inventory.DaysOfCover(25, [10, 10, 10]), 12);
        Assert.Equal(4, Inventory.DaysOfCover(40, [10, 10, 10]), 12); // extrapolated at the last rate
        var (mu, sd) = Inventory.LeadTimeDemand([10, 10, 10], [3, 3, 3], 2.5);
        Assert.Equal(25, mu, 12);
        Assert.Equal(Math.Sqrt(9 * 2.5), sd, 12);
        Assert.Equal(0.5, Inventory.StockoutProbability(25, 25, 5), 6);
        Assert.Equal(25 + 1.6448536269514722 * 5, Inventory.ReorderPoint(25, 5, 0.95), 6);
        double q = Inventory.OrderQuantity([10, 10, 10, 10], [2, 2, 2, 2], 2, 1, 12, 0.95);
        Assert.Equal(30 + 1.6448536269514722 * Math.Sqrt(12) - 12, q, 6);
        Assert.Equal(0, Inventory.OrderQuantity([1, 1], [0, 0], 1, 1, 100, 0.95));
    }

    [Fact]
    public void IntervalCalibrationRecoversScale()
    {
        var rng = new Random(1);
        var z = new List<double>();
        for (int i = 0; i < 20000; i++)
        {
            double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
            z.Add(2 * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2)); // N(0, 2²)
        }
        var (k80, k95) = PredictionIntervals.Calibrate(z);
        Assert.Equal(2, k80, 0.1);
        Assert.Equal(2, k95, 0.15);
    }
}
