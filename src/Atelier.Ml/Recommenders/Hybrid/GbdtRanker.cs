using Atelier.Ml.Trees;

namespace Atelier.Ml.Recommenders.Hybrid;

/// <summary>The hybrid's second stage on the gradient-boosted trees (LambdaRank over users as query groups by default).</summary>
public sealed class GbdtRanker(GbdtOptions options) : IRanker
{
    private GradientBoostedTrees? _model;

    public GbdtRanker() : this(new GbdtOptions
    {
        Objective = GbdtObjective.LambdaRank, Trees = 150, LearningRate = 0.05f, MaxLeaves = 31, MinDataInLeaf = 50,
        FeatureFraction = 0.8f, BaggingFraction = 0.8f,
    })
    {
    }

    public string Name => $"gbdt_{Options.Objective.ToString().ToLowerInvariant()}";
    public GbdtOptions Options { get; } = options;

    public void Fit(float[] features, int rows, int cols, float[] labels, int[] groupSizes) =>
        _model = GradientBoostedTrees.Fit(features, rows, cols, labels, Options,
            Options.Objective == GbdtObjective.LambdaRank ? groupSizes : null);

    public float Score(ReadOnlySpan<float> row) => _model?.PredictRaw(row) ?? 0f;

    public float[] FeatureImportanceGain() => _model?.FeatureImportanceGain() ?? [];
}
