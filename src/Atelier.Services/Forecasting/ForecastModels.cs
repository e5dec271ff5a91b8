using Atelier.Ml.Forecasting;

namespace Atelier.Services.Forecasting;

/// <summary>A forecaster over a whole <see cref="SeriesSet"/> at one origin (local models loop, global models pool).</summary>
public interface IForecastModel
{
    string Name { get; }

    /// <summary>Forecasts every series of <paramref name="set"/> from its first <paramref name="cut"/> periods.</summary>
    PointForecast[] Forecast(SeriesSet set, int cut, int horizon);
}

public delegate PointForecast LocalForecaster(ReadOnlySpan<double> history, int period, int horizon);

/// <summary>A per-series model run in parallel over series.</summary>
public sealed class LocalModel(string name, LocalForecaster forecaster) : IForecastModel
{
    public string Name => name;

    public PointForecast[] Forecast(SeriesSet set, int cut, int horizon)
    {
        var result = new PointForecast[set.Count];
        Parallel.For(0, set.Count, i => result[i] = forecaster(set.Values[i].AsSpan(0, cut), set.Period, horizon));
        return result;
    }
}

/// <summary>The statistical model catalogue used by evaluations and the API.</summary>
public static class ForecastModels
{
    public static IForecastModel Naive { get; } = new LocalModel("naive", (y, _, h) => Baselines.Naive(y, h));
    public static IForecastModel SeasonalNaive { get; } = new LocalModel("seasonal_naive", Baselines.SeasonalNaive);

    public static IForecastModel MovingAverage(int window) =>
        new LocalModel("moving_average", (y, _, h) => Baselines.MovingAverage(y, window, h));

    public static IForecastModel Ets { get; } = new LocalModel("ets", EtsOrNaive);

    public static IForecastModel Croston { get; } = new LocalModel("croston", (y, _, h) => Intermittent.Forecast(y, IntermittentMethod.Croston, h));
    public static IForecastModel Sba { get; } = new LocalModel("sba", (y, _, h) => Intermittent.Forecast(y, IntermittentMethod.Sba, h));
    public static IForecastModel Tsb { get; } = new LocalModel("tsb", (y, _, h) => Intermittent.Forecast(y, IntermittentMethod.Tsb, h));

    /// <summary>Automatic ETS (AICc); seasonal naive when no ETS model is admissible.</summary>
    public static PointForecast EtsOrNaive(ReadOnlySpan<double> y, int period, int horizon)
    {
        var m = EtsFitter.AutoFit(y, period);
        return m?.Forecast(horizon) ?? Baselines.SeasonalNaive(y, period, horizon);
    }
}
