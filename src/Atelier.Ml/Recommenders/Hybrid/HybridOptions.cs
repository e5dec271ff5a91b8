namespace Atelier.Ml.Recommenders.Hybrid;

/// <summary>Knobs of the two-stage hybrid; the defaults suit weekly fashion data.</summary>
public sealed record HybridOptions
{
    public int CandidatesPerSource { get; init; } = 24;
    /// <summary>Candidates from the user's own history (0 = <see cref="CandidatesPerSource"/>); wholesale buyers re-buy many items.</summary>
    public int RepurchaseCandidates { get; init; }
    public float PopularityHalfLifeDays { get; init; } = 7;
    public float RepurchaseHalfLifeDays { get; init; } = 30;
    public int TrendingDays { get; init; } = 7;
    /// <summary>Length of the label window when the ranker is trained on the period just before the cutoff.</summary>
    public int LabelDays { get; init; } = 7;
    /// <summary>Consecutive label windows stacked into the ranker's training set (more rows, same features).</summary>
    public int TrainingWindows { get; init; } = 1;
    /// <summary>
    /// Days of one more label window that ends at the cutoff (0 = none; shorter than <see cref="LabelDays"/>), for the
    /// users-with-history ranker only: its rows see the longest history before their cut, the closest to what the served
    /// model sees. H&amp;M: 1 (see docs/models.md, "Recent label window").
    /// </summary>
    public int RecentWindowDays { get; init; }
    public AlsOptions Als { get; init; } = new(Factors: 64, Regularization: 0.01f, Alpha: 40f, Iterations: 15);
    public int KnnNeighbours { get; init; } = 100;
    /// <summary>Users without positives are useless to a ranker; cold users are subsampled to this many.</summary>
    public int MaxColdTrainingUsers { get; init; } = 2000;
    public int Seed { get; init; } = 7;
    /// <summary>Day-count features are capped here so that training and serving cutoffs see the same range
    /// (H&amp;M: only the last days before the cutoff are complete data).</summary>
    public int MaxDaysFeature { get; init; } = 999;
}
