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

    public void Write(BinaryWriter w)
    {
        w.Write(RankerIo.GbdtTag);
        var o = Options;
        w.Write((int)o.Objective); w.Write(o.Trees); w.Write(o.LearningRate); w.Write(o.MaxLeaves); w.Write(o.MinDataInLeaf);
        w.Write(o.L2); w.Write(o.MaxBins); w.Write(o.FeatureFraction); w.Write(o.BaggingFraction);
        w.Write(o.LambdaRankTruncation); w.Write(o.Seed);
        w.Write(_model is not null);
        w.Flush();
        _model?.Save(w.BaseStream);
    }

    internal static GbdtRanker Read(BinaryReader r)
    {
        var o = new GbdtOptions
        {
            Objective = (GbdtObjective)r.ReadInt32(), Trees = r.ReadInt32(), LearningRate = r.ReadSingle(), MaxLeaves = r.ReadInt32(),
            MinDataInLeaf = r.ReadInt32(), L2 = r.ReadSingle(), MaxBins = r.ReadInt32(), FeatureFraction = r.ReadSingle(),
            BaggingFraction = r.ReadSingle(), LambdaRankTruncation = r.ReadInt32(), Seed = r.ReadInt32(),
        };
        var ranker = new GbdtRanker(o);
        if (r.ReadBoolean()) ranker._model = GradientBoostedTrees.Load(r.BaseStream);
        return ranker;
    }

    public float[] FeatureImportanceGain() => _model?.FeatureImportanceGain() ?? [];
}
