namespace Atelier.Services.Forecasting;

/// <summary>Levels and frequencies of stored forecasts, and the column of <c>sales_line</c> that keys each level.</summary>
public static class ForecastLevels
{
    public static readonly string[] All = ["total", "category", "product_type", "product", "article"];
    public static readonly string[] Frequencies = ["weekly", "daily"];

    public static string KeySql(string level) => level switch
    {
        "total" => "''",
        "category" => "category_id::text",
        "product_type" => "product_type_id::text",
        "product" => "product_id::text",
        "article" => "article_id::text",
        _ => throw new ArgumentException($"unknown level '{level}'", nameof(level)),
    };

    public static int DaysPerPeriod(string frequency) => frequency == "daily" ? 1 : 7;

    public static int SeasonalPeriod(string frequency) => frequency == "daily" ? 7 : 52;
}

public sealed record ForecastRunSummary(long RunId, string Level, string Frequency, int Horizon, DateOnly HistoryStart,
    DateOnly Origin, int Series, bool Reconciled, IReadOnlyDictionary<string, int> Models, double Seconds);

public sealed record ForecastPointDto(DateOnly PeriodStart, double Point, double Lo80, double Hi80, double Lo95, double Hi95);

public sealed record ForecastSeriesDto(long RunId, string Level, string Key, string Frequency, string Model, bool Reconciled,
    DateTimeOffset GeneratedAt, IReadOnlyList<ForecastPointDto> Points);

public sealed record InventoryPlanDto(long ArticleId, string ArticleCode, long ProductId, string ProductName, int Stock,
    double? DaysOfCover, double LeadTimeDemand, double StockoutProbability, double ReorderPoint, int SuggestedOrder, string Model);
