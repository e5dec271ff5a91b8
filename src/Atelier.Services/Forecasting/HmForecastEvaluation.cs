namespace Atelier.Services.Forecasting;

/// <summary>H&amp;M weekly levels (filled in below).</summary>
public static class HmForecastEvaluation
{
    public static IReadOnlyList<LevelReport> Run(Action<string>? log = null) => [];
}
