namespace Atelier.Services.Forecasting;

/// <summary>
/// Aligned series of one level (same dates for all): values[series][t], optional average unit price per period,
/// the seasonal period used by the models and the calendar label of each period.
/// </summary>
public sealed record SeriesSet(
    string Level, string Frequency, int Period, string[] Names, double[][] Values, DateOnly[] PeriodEnds,
    double[][]? Prices = null)
{
    public int Count => Names.Length;
    public int Length => PeriodEnds.Length;
}
