namespace Atelier.Ml.Text;

/// <summary>Settings of <see cref="TextClassifier"/>.</summary>
public sealed record TextClassifierOptions
{
    public TfidfOptions Tfidf { get; init; } = new();
    public LogisticRegressionOptions Regression { get; init; } = new();
    /// <summary>Weight classes by n/(K·n_k) (helps macro-F1 on skewed labels).</summary>
    public bool BalancedClassWeights { get; init; }
    /// <summary>
    /// NB-SVM-style scaling (Wang &amp; Manning 2012): one-vs-rest models, each on features multiplied by the
    /// log-count ratio r = log((p/‖p‖₁)/(q/‖q‖₁)) of its class; else one multinomial (or binary) model.
    /// </summary>
    public bool NaiveBayesScaling { get; init; }
    /// <summary>Smoothing α of the NB count vectors p = α + Σ x over the class.</summary>
    public float NaiveBayesAlpha { get; init; } = 1f;
    /// <summary>Multiplier of the extra dense features (e.g. VADER scores) appended to the TF-IDF row.</summary>
    public float DenseScale { get; init; } = 1f;
}
