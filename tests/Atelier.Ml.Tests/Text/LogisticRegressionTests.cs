using Atelier.Ml.Text;

namespace Atelier.Ml.Tests.Text;

public sealed class LogisticRegressionTests
{
    private static SparseRows Dense(double[,] x)
    {
        int rows = x.GetLength(0), cols = x.GetLength(1);
        var ptr = new int[rows + 1];
        var idx = new List<int>();
        var val = new List<float>();
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
                if (x[r, c] != 0)
                {
                    idx.Add(c);
                    val.Add((float)x[r, c]);
                }
            ptr[r + 1] = idx.Count;
        }
        return new SparseRows(cols, ptr, idx.ToArray(), val.ToArray());
    }

    [Fact]
    public void SymmetricSeparablePairHasTheHandDerivedOptimum()
    {
        // x = +1 → 1, x = −1 → 0. By symmetry b = 0 and ∂/∂w [C·2·log(1+e^{−w}) + w²/2] = 0 ⇔ w = 2C·σ(−w).
        var x = Dense(new double[,] { { 1 }, { -1 } });
        const double c = 3.0;
        var model = LogisticRegression.Fit(x, [1, 0], 2, new LogisticRegressionOptions { C = c, Tolerance = 1e-9, RelativeTolerance = 1e-14 });
        var w = model.Weights[0];
        Assert.Equal(0.0, model.Biases[0], 4);
        Assert.Equal(2 * c / (1 + Math.Exp(w)), w, 4);
        var p = model.PredictProba(x);
        Assert.True(p[1] > 0.5 && p[2] > 0.5);
        Assert.Equal(1.0, p[0] + p[1], 6);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void GradientMatchesFiniteDifferences(int k)
    {
        var rng = new Random(5);
        var dense = new double[12, 5];
        for (var r = 0; r < 12; r++)
            for (var c = 0; c < 5; c++) dense[r, c] = rng.NextDouble() < 0.5 ? 0 : rng.NextDouble() * 2 - 1;
        var x = Dense(dense);
        var y = Enumerable.Range(0, 12).Select(i => i % (k == 1 ? 2 : k)).ToArray();
        var weights = Enumerable.Range(0, 12).Select(i => 0.5f + i % 3).ToArray();
        var objective = new LogisticObjective(x, y, weights, k, 1.7);
        var theta = Enumerable.Range(0, 5 * k + k).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var grad = new double[theta.Length];
        objective.Evaluate(theta, grad);
        var scratch = new double[theta.Length];
        const double h = 1e-6;
        for (var i = 0; i < theta.Length; i++)
        {
            var plus = (double[])theta.Clone();
            var minus = (double[])theta.Clone();
            plus[i] += h;
            minus[i] -= h;
            var numeric = (objective.Evaluate(plus, scratch) - objective.Evaluate(minus, scratch)) / (2 * h);
            Assert.Equal(numeric, grad[i], 5);
        }
    }

    [Fact]
    public void MultinomialModelLearnsThreeSeparatedClusters()
    {
        var rng = new Random(1);
        var dense = new double[90, 3];
        var y = new int[90];
        for (var i = 0; i < 90; i++)
        {
            y[i] = i % 3;
            for (var c = 0; c < 3; c++) dense[i, c] = (c == y[i] ? 2 : 0) + rng.NextDouble() * 0.5;
        }
        var x = Dense(dense);
        var model = LogisticRegression.Fit(x, y, 3, new LogisticRegressionOptions { C = 10 });
        var predicted = ClassificationMetrics.ArgMax(model.PredictProba(x), 3);
        Assert.Equal(y, predicted);
    }

    [Fact]
    public void MacroF1MatchesHandComputation()
    {
        // Class 0: P=1/2 R=1/2 F=1/2; class 1: P=2/3 R=1 F=4/5; class 2: P=1 R=1/2 F=2/3.
        var m = ClassificationMetrics.Compute([0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 2, 0], 3);
        Assert.Equal(4.0 / 6, m.Accuracy, 10);
        Assert.Equal((0.5 + 0.8 + 2.0 / 3) / 3, m.MacroF1, 10);
        Assert.Equal(2.0 / 3, m.Precision[1], 10);
        Assert.Equal(0.5, m.Recall[2], 10);
        Assert.Equal(1, m.Confusion[2, 0]);
    }

    [Fact]
    public void ArgMaxAppliesOffsets()
    {
        float[] proba = [0.6f, 0.4f, 0.3f, 0.7f];
        Assert.Equal([0, 1], ClassificationMetrics.ArgMax(proba, 2));
        Assert.Equal([1, 1], ClassificationMetrics.ArgMax(proba, 2, [0f, 0.25f]));
    }
}
