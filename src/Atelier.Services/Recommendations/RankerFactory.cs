using Atelier.Ml.Recommenders.Hybrid;
using Atelier.Ml.Trees;

namespace Atelier.Services.Recommendations;

/// <summary>The hybrid's second-stage rankers by name: gradient-boosted trees (LambdaRank or log-loss) or logistic regression.</summary>
public static class RankerFactory
{
    public const string Default = "gbdt+gbdt-logloss+logistic";
    public static readonly string[] Names = ["gbdt", "gbdt-logloss", "logistic", "gbdt+logistic", "gbdt+gbdt-logloss+logistic"];

    public static Func<IRanker> For(string name) => name switch
    {
        "gbdt" => () => new GbdtRanker(),
        "gbdt-logloss" => () => LogLossTrees(),
        "logistic" => () => new LogisticRanker(),
        "gbdt+logistic" => () => new EnsembleRanker(new GbdtRanker(), new LogisticRanker()),
        "gbdt+gbdt-logloss+logistic" => () => new EnsembleRanker(new GbdtRanker(), LogLossTrees(), new LogisticRanker()),
        _ => throw new ArgumentException($"Unknown ranker '{name}' ({string.Join(" | ", Names)}).", nameof(name)),
    };

    private static GbdtRanker LogLossTrees() => new(new GbdtOptions
    {
        Objective = GbdtObjective.BinaryLogLoss, Trees = 150, LearningRate = 0.05f, MaxLeaves = 31, MinDataInLeaf = 50,
        FeatureFraction = 0.8f, BaggingFraction = 0.8f,
    });

    public static IRanker Create() => For(Default)();

    /// <summary>Cold users share one candidate list whose features barely vary: a smooth linear ranker generalises better there.</summary>
    public static Func<IRanker> ColdDefault => () => new LogisticRanker();
}
