using Atelier.Ml.Customers;

namespace Atelier.Services.Customers;

/// <summary>Everything computed for one customer as of a run (null = not computable from the store's data).</summary>
public sealed record CustomerInsightRow(long CustomerId, double RecencyDays, int Frequency, decimal Monetary, int R, int F, int M,
    string RfmGroup, int? ClusterId, string? ClusterName, float? ChurnProbability, float? PAlive, float? ExpectedPurchases365,
    decimal? PredictedClv365, DateOnly? ExpectedNextOrder);

/// <summary>One k-means segment of a run.</summary>
public sealed record CustomerSegmentRow(int ClusterId, string Name, int Size, double Share, double MeanRecencyDays,
    double MeanFrequency, double MeanMonetary);

/// <summary>How the churn model fared: trained on features before as-of − 90 days, label = no purchase since.</summary>
public sealed record ChurnTrainingInfo(bool Trained, string Note, int Rows, double? ChurnRate, double? OutOfFoldAuroc);

/// <summary>The result of one <see cref="CustomerInsightService.AnalyzeAsync"/> run.</summary>
public sealed record CustomerInsightSummary(DateTime AsOf, int Customers, int? K, double? Silhouette,
    IReadOnlyList<CustomerSegmentRow> Segments, IReadOnlyList<RfmSegmentCount> RfmGroups, ChurnTrainingInfo Churn,
    bool ClvFitted, string? ClvNote, BgNbd? BgNbd, double Seconds);

/// <summary>The computed rows before they are stored.</summary>
public sealed record CustomerInsightResult(IReadOnlyList<CustomerInsightRow> Rows, IReadOnlyList<CustomerSegmentRow> Segments,
    int? K, double? Silhouette, ChurnTrainingInfo Churn, bool ClvFitted, string? ClvNote, BgNbd? BgNbd);
