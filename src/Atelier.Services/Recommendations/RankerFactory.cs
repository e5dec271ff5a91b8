using Atelier.Ml.Recommenders.Hybrid;

namespace Atelier.Services.Recommendations;

/// <summary>The second-stage ranker the hybrid uses (the gradient-boosted trees once available, else logistic).</summary>
public static class RankerFactory
{
    public static IRanker Create() => new LogisticRanker();
}
