namespace Atelier.Ml.Text;

/// <summary>Objective: C · Σ wᵢ · loss(xᵢ, yᵢ) + ½‖W‖² (biases unpenalised), as scikit-learn's LogisticRegression(C).</summary>
public sealed record LogisticRegressionOptions
{
    public double C { get; init; } = 1.0;
    /// <summary>Per-class sample weights; null = all 1. <see cref="LogisticRegression.BalancedWeights"/> gives n/(K·n_k).</summary>
    public float[]? ClassWeights { get; init; }
    public int MaxIterations { get; init; } = 300;
    /// <summary>Stop when ‖∇f‖ falls below this (scaled by max(1, |f|/√n)).</summary>
    public double Tolerance { get; init; } = 1e-5;
    /// <summary>Stop after 3 consecutive iterations whose relative decrease of f is below this.</summary>
    public double RelativeTolerance { get; init; } = 1e-6;
}
