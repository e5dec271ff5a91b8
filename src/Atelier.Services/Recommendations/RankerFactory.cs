using Atelier.Ml.Recommenders.Hybrid;
using Atelier.Ml.Trees;

namespace Atelier.Services.Recommendations;

/// <summary>The hybrid's second-stage rankers by name: gradient-boosted trees (LambdaRank or log-loss) or logistic regression.</summary>
public static class RankerFactory
{
    public const string Default = "gbdt+gbdt-logloss+logistic";
    public static readonly string[] Names = ["gbdt", "gbdt-logloss", "logistic", "gbdt+logistic", "gbdt+gbdt-logloss+logistic"];

    /// <summary>The named ranker; <paramref name="seed"/> (null = the defaults, 42 for every tree member) reseeds the
    /// trees' row and feature sampling: LambdaRank trees get <c>seed</c>, log-loss trees <c>seed + 1000</c>.</summary>
    public static Func<IRanker> For(string name, int? seed = null)
    {
        int lambdaSeed = seed ?? DefaultSeed, logLossSeed = seed is { } s ? s + 1000 : DefaultSeed;
        return name switch
        {
            "gbdt" => () => LambdaRankTrees(lambdaSeed),
            "gbdt-logloss" => () => LogLossTrees(logLossSeed),
            "logistic" => () => new LogisticRanker(),
            "gbdt+logistic" => () => new EnsembleRanker(LambdaRankTrees(lambdaSeed), new LogisticRanker()),
            "gbdt+gbdt-logloss+logistic" => () => new EnsembleRanker(LambdaRankTrees(lambdaSeed), LogLossTrees(logLossSeed), new LogisticRanker()),
            _ => throw new ArgumentException($"Unknown ranker '{name}' ({string.Join(" | ", Names)}).", nameof(name)),
        };
    }

    private const int DefaultSeed = 42;

    private static GbdtRanker LambdaRankTrees(int seed) => new(new GbdtRanker().Options with { Seed = seed });

    private static GbdtRanker LogLossTrees(int seed) => new(new GbdtOptions
    {
        Objective = GbdtObjective.BinaryLogLoss, Trees = 150, LearningRate = 0.05f, MaxLeaves = 31, MinDataInLeaf = 50,
        FeatureFraction = 0.8f, BaggingFraction = 0.8f, Seed = seed,
    });

    public static IRanker Create() => For(Default)();

    /// <summary>Cold users share one candidate list whose features barely vary: a smooth linear ranker generalises better there.</summary>
    public static Func<IRanker> ColdDefault => () => new LogisticRanker();
}
