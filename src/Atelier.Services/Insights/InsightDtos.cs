namespace Atelier.Services.Insights;

public sealed record SegmentDto(int ClusterId, string Name, int Size, double Share, double MeanRecencyDays, double MeanFrequency,
    decimal MeanMonetary, string Method);

public sealed record RfmGroupCountDto(string Group, int Customers);

public sealed record SegmentsDto(DateTime? AsOf, int? K, double? Silhouette, IReadOnlyList<SegmentDto> Segments, IReadOnlyList<RfmGroupCountDto> RfmGroups);

public sealed record CustomerInsightDto(DateTime AsOf, string RfmGroup, int RScore, int FScore, int MScore, int? SegmentId, string? Segment,
    double? ChurnProbability, string? ChurnRisk, double? PAlive, double? ExpectedPurchases365, decimal? PredictedClv365, DateOnly? ExpectedNextOrder);

public sealed record RecentOrderDto(long OrderId, DateTime PlacedAt, string Status, decimal Total, int Units);

public sealed record Customer360Dto(long CustomerId, int Orders, decimal TotalSpent, DateTime? LastOrderAt, CustomerInsightDto? Insight,
    IReadOnlyList<RecentOrderDto> LastOrders);

public sealed record RatingSummaryDto(int Reviews, decimal? Average, IReadOnlyList<int> Distribution);

public sealed record AspectCountDto(string Aspect, int Positive, int Negative, int Mentions);

public sealed record SizeFitDto(int RunsSmall, int RunsLarge, int TrueToSize, double? ShareSmall, double? ShareLarge, double? ShareTrue,
    string Consensus, string? Advice);

public sealed record ProductReviewInsightsDto(long ProductId, RatingSummaryDto Ratings, DateTime? AnalysedAt, int? ReviewsAnalysed,
    int? PositiveReviews, int? NegativeReviews, SizeFitDto? SizeFit, IReadOnlyList<AspectCountDto> Aspects);

public enum CustomerListOrder { ValueAtRisk, Clv, Churn, Recency }

/// <summary>One row of the staff customer list: the stored insight plus the name when the customer has an account.</summary>
public sealed record CustomerListRowDto(long CustomerId, string? Name, string RfmGroup, string? Segment, int Orders, decimal Spent,
    double RecencyDays, double? ChurnProbability, decimal? PredictedClv365, decimal? ValueAtRisk, DateOnly? ExpectedNextOrder);

/// <summary>One category in one month: what reviewers said (from the last <c>analyze reviews</c>).</summary>
public sealed record CategoryAspectMonthDto(int CategoryId, string Category, DateOnly Month, int Reviews, double MeanSentiment,
    int RunsSmall, int RunsLarge, int TrueToSize, IReadOnlyList<AspectCountDto> Aspects);
