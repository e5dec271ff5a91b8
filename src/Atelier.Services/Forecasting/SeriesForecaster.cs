using Atelier.Ml.Forecasting;

namespace Atelier.Services.Forecasting;

public sealed record SeriesForecast(string Model, IntervalForecast Forecast, double BacktestMase, double Scale80, double Scale95);

public sealed record InventoryPlan(double DaysOfCover, double LeadTimeDemand, double LeadTimeDemandSd,
    double StockoutProbability, double ReorderPoint, double OrderQuantity);

/// <summary>
/// The entry point for the API/DB layer: forecast one series with automatic model choice from a rolling-origin
/// backtest on its own history (local models), calibrated 80/95% intervals, and the inventory plan derived from it.
/// </summary>
public static class SeriesForecaster
{
    public static readonly string[] Candidates = ["naive", "seasonal_naive", "moving_average", "median", "ets", "tsb", "ensemble"];

    public static SeriesForecast ForecastAuto(double[] history, int period, int horizon, int origins = 6)
    {
        if (history.Length < 8 + horizon) throw new ArgumentException("need at least 8 + horizon periods of history");
        origins = Math.Max(1, Math.Min(origins, (history.Length - 8) / horizon));
        var dates = Enumerable.Range(0, history.Length).Select(i => DateOnly.MinValue.AddDays(i)).ToArray();
        var set = new SeriesSet("series", "custom", period, ["y"], [history], dates);
        var bt = new Backtest(set, horizon, evalOrigins: 0, earlierOrigins: origins);
        foreach (var m in Models(period)) bt.Run(m);
        bt.AddEnsemble("ensemble", "ets", "moving_average", "median");
        string best = Candidates[0];
        double bestMase = double.PositiveInfinity;
        foreach (var name in Candidates)
        {
            double s = 0; int n = 0;
            for (int c = 0; c < bt.Cuts.Length; c++) { double v = bt.Mase(name, c, 0); if (double.IsFinite(v)) { s += v; n++; } }
            if (n > 0 && s / n < bestMase) { bestMase = s / n; best = name; }
        }
        var (k80, k95) = bt.Calibration(best, [0]);
        var full = new SeriesSet("series", "custom", period, ["y"], [history], dates);
        PointForecast f;
        if (best == "ensemble")
        {
            var parts = Models(period).Where(m => m.Name is "ets" or "moving_average" or "median")
                .Select(m => m.Forecast(full, history.Length, horizon)[0]).ToArray();
            var mean = new double[horizon]; var sd = new double[horizon];
            foreach (var p in parts) for (int h = 0; h < horizon; h++) { mean[h] += p.Mean[h] / parts.Length; sd[h] += p.Sigma[h] / parts.Length; }
            f = new PointForecast(mean, sd);
        }
        else f = Models(period).First(m => m.Name == best).Forecast(full, history.Length, horizon)[0];
        return new SeriesForecast(best, PredictionIntervals.Build(f, k80, k95), bestMase, k80, k95);
    }

    /// <summary>Inventory figures from a calibrated forecast (sigma recovered from the 95% band).</summary>
    public static InventoryPlan Plan(IntervalForecast f, double onHand, double onOrder, double leadTimePeriods,
        double reviewPeriods, double serviceLevel)
    {
        var sd = new double[f.Mean.Length];
        for (int h = 0; h < sd.Length; h++) sd[h] = (f.Upper95[h] - f.Mean[h]) / PredictionIntervals.Z95;
        var (mu, s) = Inventory.LeadTimeDemand(f.Mean, sd, leadTimePeriods);
        double position = onHand + onOrder;
        return new InventoryPlan(Inventory.DaysOfCover(onHand, f.Mean), mu, s, Inventory.StockoutProbability(position, mu, s),
            Inventory.ReorderPoint(mu, s, serviceLevel),
            Inventory.OrderQuantity(f.Mean, sd, leadTimePeriods, reviewPeriods, position, serviceLevel));
    }

    private static IForecastModel[] Models(int period) =>
    [
        ForecastModels.Naive, ForecastModels.SeasonalNaive, ForecastModels.MovingAverage(Math.Max(4, period > 1 && period <= 12 ? period : 4)),
        new LocalModel("median", (y, _, h) => Baselines.MovingMedian(y, 8, h)), ForecastModels.Ets, ForecastModels.Tsb,
    ];
}
