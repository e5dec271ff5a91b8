namespace Atelier.Ml.Trees;

/// <summary>Hyper-parameters of <see cref="GradientBoostedTrees.Fit"/> (names follow LightGBM's where they exist).</summary>
public sealed record GbdtOptions
{
    public GbdtObjective Objective { get; init; } = GbdtObjective.BinaryLogLoss;
    public int Trees { get; init; } = 200;
    public float LearningRate { get; init; } = 0.1f;
    public int MaxLeaves { get; init; } = 31;
    public int MinDataInLeaf { get; init; } = 20;
    public float L2 { get; init; } = 1f;
    /// <summary>Histogram bins per feature (at most 255; one more bin holds missing values).</summary>
    public int MaxBins { get; init; } = 255;
    public float FeatureFraction { get; init; } = 1f;
    public float BaggingFraction { get; init; } = 1f;
    /// <summary>Only pairs with at least one document ranked above this position contribute lambdas.</summary>
    public int LambdaRankTruncation { get; init; } = 12;
    public int Seed { get; init; } = 42;
}
