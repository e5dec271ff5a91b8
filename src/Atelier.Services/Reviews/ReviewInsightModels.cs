using Atelier.Ml.Text;

namespace Atelier.Services.Reviews;

/// <summary>Scores of one review: sentiment (classifier or VADER), VADER compound and the aspects its text mentions.</summary>
public sealed record ReviewInsightRow(long ReviewId, long ProductId, string SentimentLabel, float SentimentScore, string SentimentSource,
    float VaderCompound, ReviewAspects Aspects);

/// <summary>Per-product aggregate: rating, sentiment counts and the aspect summary (with size advice when buyers agree).</summary>
public sealed record ProductReviewInsightRow(long ProductId, int Reviews, decimal? AverageRating, int PositiveReviews, int NegativeReviews,
    ProductAspectSummary Summary);

/// <summary>The result of one <see cref="ReviewInsightService.AnalyzeAsync"/> run.</summary>
public sealed record ReviewInsightSummary(int Reviews, int Products, string SentimentSource, string SentimentNote,
    double? OutOfFoldAccuracy, int ProductsWithAdvice, int RunsSmall, int RunsLarge, int TrueToSize, double Seconds);

/// <summary>Names shared by the database, the API and the CLI.</summary>
public static class ReviewInsightNames
{
    public static string SizeFit(SizeFitVerdict v) => v switch
    {
        SizeFitVerdict.RunsSmall => "small",
        SizeFitVerdict.RunsLarge => "large",
        SizeFitVerdict.TrueToSize => "true",
        _ => "none",
    };

    public static string Aspect(Aspect a) => a switch
    {
        Ml.Text.Aspect.SizeFit => "size_fit",
        _ => a.ToString().ToLowerInvariant(),
    };

    public static readonly string[] Sentiments = ["negative", "neutral", "positive"];
}
