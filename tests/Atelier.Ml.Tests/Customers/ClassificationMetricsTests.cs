using Atelier.Ml.Customers;

namespace Atelier.Ml.Tests.Customers;

public sealed class ClassificationMetricsTests
{
    [Fact]
    public void AurocAndAveragePrecisionMatchHandComputedValues()
    {
        // Positives 0.35, 0.8; negatives 0.1, 0.4: pairs won 3 of 4 → 0.75.
        // AP: 0.8 → P=1, R=½; 0.4 → no recall gain; 0.35 → P=⅔, R=1 → ½·1 + ½·⅔ = 0.8333.
        float[] s = [0.1f, 0.4f, 0.35f, 0.8f]; float[] y = [0, 0, 1, 1];
        Assert.Equal(0.75, ClassificationMetrics.Auroc(s, y), 10);
        Assert.Equal(5.0 / 6, ClassificationMetrics.AveragePrecision(s, y), 10);
    }

    [Fact]
    public void TiesCountHalfAndFormOneThreshold()
    {
        // Pairs: (0.5 vs 0.5)=½, (0.5 vs 0.2)=1, (0.9 vs 0.5)=1, (0.9 vs 0.2)=1 → 3.5/4.
        // AP: 0.9 → P=1,R=½; tie block at 0.5 → P=⅔, R=1 → 0.5 + 0.5·⅔.
        float[] s = [0.5f, 0.5f, 0.2f, 0.9f]; float[] y = [1, 0, 0, 1];
        Assert.Equal(0.875, ClassificationMetrics.Auroc(s, y), 10);
        Assert.Equal(0.5 + 1.0 / 3, ClassificationMetrics.AveragePrecision(s, y), 10);
        Assert.Equal(0.5, ClassificationMetrics.Auroc([1f, 1f, 1f, 1f], [1f, 0f, 1f, 0f]), 10);
    }

    [Fact]
    public void AurocMatchesBruteForcePairCounting()
    {
        var rng = new Random(3);
        var n = 300;
        var s = new float[n]; var y = new float[n];
        for (var i = 0; i < n; i++) { s[i] = rng.Next(20) / 20f; y[i] = rng.NextDouble() < 0.3 + 0.4 * s[i] ? 1 : 0; }
        double wins = 0, pairs = 0;
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                if (y[i] == 1 && y[j] == 0) { pairs++; wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0; }
        Assert.Equal(wins / pairs, ClassificationMetrics.Auroc(s, y), 10);
    }

    [Fact]
    public void BrierAndCalibrationErrorByHand()
    {
        float[] p = [0.9f, 0.2f, 0.2f]; float[] y = [1, 0, 1];
        Assert.Equal((0.01 + 0.04 + 0.64) / 3, ClassificationMetrics.Brier(p, y), 6);
        // bins: 0.9 → |0.9−1|·1/3; 0.2,0.2 → |0.4−1|/3
        Assert.Equal((0.1 + 0.6) / 3, ClassificationMetrics.ExpectedCalibrationError(p, y), 6);
    }

    [Fact]
    public void PlattScalingRecoversTheGeneratingSigmoid()
    {
        var rng = new Random(11);
        var n = 20_000;
        var s = new float[n]; var y = new float[n];
        for (var i = 0; i < n; i++)
        {
            s[i] = (float)(rng.NextDouble() * 4 - 2);
            y[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-(2 * s[i] - 1))) ? 1 : 0;
        }
        var platt = PlattScaling.Fit(s, y);
        Assert.InRange(platt.A, 1.85, 2.15);
        Assert.InRange(platt.B, -1.12, -0.88);
    }

    [Fact]
    public void LogisticRegressionSatisfiesTheOptimalityConditions()
    {
        // At the optimum the gradient of Σ logloss + ½λ‖w‖² (standardised space, intercept free) is zero.
        var rng = new Random(2);
        int n = 400, d = 3;
        var x = new float[n * d]; var y = new float[n];
        for (var i = 0; i < n; i++)
        {
            double z = -0.5;
            for (var j = 0; j < d; j++) { x[i * d + j] = (float)(rng.NextDouble() * (j + 1) * 10); z += (j - 1) * 0.1 * x[i * d + j]; }
            y[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-z)) ? 1 : 0;
        }
        const double l2 = 3;
        var m = LogisticRegression.Fit(x, n, d, y, l2);
        var mean = new double[d]; var sd = new double[d];
        for (var j = 0; j < d; j++)
        {
            mean[j] = Enumerable.Range(0, n).Average(i => (double)x[i * d + j]);
            sd[j] = Math.Sqrt(Enumerable.Range(0, n).Average(i => Math.Pow(x[i * d + j] - mean[j], 2)));
        }
        var grad = new double[d + 1];
        for (var i = 0; i < n; i++)
        {
            var p = m.PredictProbability(x.AsSpan(i * d, d));
            grad[0] += p - y[i];
            for (var j = 0; j < d; j++) grad[j + 1] += (p - y[i]) * (x[i * d + j] - mean[j]) / sd[j];
        }
        for (var j = 0; j < d; j++) grad[j + 1] += l2 * m.Coefficients[j];
        foreach (var g in grad) Assert.True(Math.Abs(g) < 1e-3, $"gradient {g}");
        Assert.True(m.Coefficients[2] > 0.5 && m.Coefficients[0] < -0.2); // signs of the generating weights
    }
}
