using Atelier.Services.Forecasting;

namespace Atelier.Ml.Tests.Forecasting;

public sealed class SeriesForecasterTests
{
    [Fact]
    public void AutoForecastPicksASeasonalModelAndPlansInventory()
    {
        var rng = new Random(9);
        double[] pattern = [20, 5, 10, 30, 15, 8, 12];
        var y = new double[84];
        for (int t = 0; t < y.Length; t++) y[t] = pattern[t % 7] + rng.NextDouble();
        var r = SeriesForecaster.ForecastAuto(y, 7, 7);
        Assert.Contains(r.Model, new[] { "seasonal_naive", "ets" });
        for (int h = 0; h < 7; h++)
        {
            Assert.Equal(pattern[(84 + h) % 7] + 0.5, r.Forecast.Mean[h], 1.0);
            Assert.True(r.Forecast.Lower95[h] <= r.Forecast.Lower80[h] && r.Forecast.Lower80[h] <= r.Forecast.Mean[h]);
            Assert.True(r.Forecast.Mean[h] <= r.Forecast.Upper80[h] && r.Forecast.Upper80[h] <= r.Forecast.Upper95[h]);
        }
        var plan = SeriesForecaster.Plan(r.Forecast, onHand: 30, onOrder: 0, leadTimePeriods: 3, reviewPeriods: 1, serviceLevel: 0.95);
        Assert.Equal(r.Forecast.Mean.Take(3).Sum(), plan.LeadTimeDemand, 6);
        Assert.True(plan.ReorderPoint > plan.LeadTimeDemand);
        Assert.InRange(plan.StockoutProbability, 0.5, 1); // 30 on hand < ~35 expected demand over 3 days
        Assert.InRange(plan.DaysOfCover, 1, 3);
    }
}
