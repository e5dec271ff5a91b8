using Atelier.Ml.Customers;
using Atelier.Ml.Trees;

namespace Atelier.Services.Customers;

public sealed record ChurnModelReport(string Model, double Auroc, double PrAuc, double BrierUncalibrated, double Brier,
    double ExpectedCalibrationError, string Calibration, double PlattA, double PlattB)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public float[]? HoldoutProbabilities { get; init; }
}

public sealed record FeatureWeight(string Feature, double Value);

public sealed record ChurnReport(DateTime Cutoff, DateTime End, int Customers, int Train, int Holdout, double ChurnRate,
    double Auroc, string BestModel, IReadOnlyList<ChurnModelReport> Models, IReadOnlyList<FeatureWeight> GbdtGain,
    IReadOnlyList<FeatureWeight> LogisticCoefficients, double Seconds);

/// <summary>
/// Churn on UCI Online Retail: features before 2011-09-09, churned = no purchase 2011-09-09..2011-12-09,
/// seeded 30 % customer hold-out; logistic regression and GBDT, each Platt-calibrated on 5-fold out-of-fold scores.
/// </summary>
public static class ChurnEvaluation
{
    public static readonly DateTime Cutoff = new(2011, 9, 9);
    public static readonly DateTime End = new(2011, 12, 10);

    public static GbdtOptions GbdtOptions { get; } = new()
    {
        Objective = GbdtObjective.BinaryLogLoss, Trees = 400, LearningRate = 0.02f, MaxLeaves = 4, MinDataInLeaf = 40,
        L2 = 5, FeatureFraction = 0.7f, BaggingFraction = 0.8f, Seed = 42,
    };

    public const double LogisticL2 = 10;

    public static ChurnReport Run(IReadOnlyList<CustomerHistory> histories, int seed = 42)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var data = ChurnFeatures.Build(histories, Cutoff, End);
        var (train, test) = Split(data.Rows, 0.3, seed);
        var cols = data.Cols;
        var (xTr, yTr) = Take(data, train);
        var (xTe, yTe) = Take(data, test);

        var models = new List<ChurnModelReport>();
        var lr = LogisticRegression.Fit(xTr, train.Length, cols, yTr, LogisticL2);
        models.Add(Report("logistic_regression", xTr, yTr, xTe, yTe, cols, seed,
            (x, y, n) => { var m = LogisticRegression.Fit(x, n, cols, y, LogisticL2); return r => m.PredictRaw(r); },
            r => lr.PredictRaw(r)));
        var gb = GradientBoostedTrees.Fit(xTr, train.Length, cols, yTr, GbdtOptions);
        models.Add(Report("gbdt", xTr, yTr, xTe, yTe, cols, seed,
            (x, y, n) => { var m = GradientBoostedTrees.Fit(x, n, cols, y, GbdtOptions); return r => m.PredictRaw(r); },
            r => gb.PredictRaw(r)));
        models.Add(Ensemble(models, yTe));
        var best = models.MaxBy(m => m.Auroc)!;
        var gain = gb.FeatureImportanceGain();
        var total = gain.Sum();
        return new ChurnReport(Cutoff, End, data.Rows, train.Length, test.Length, data.Labels.Average(), best.Auroc, best.Model, models,
            [.. data.FeatureNames.Select((n, i) => new FeatureWeight(n, Math.Round(gain[i] / total, 4))).OrderByDescending(f => f.Value)],
            [.. data.FeatureNames.Select((n, i) => new FeatureWeight(n, Math.Round(lr.Coefficients[i], 4))).OrderByDescending(f => Math.Abs(f.Value))],
            sw.Elapsed.TotalSeconds);
    }

    private delegate float Scorer(ReadOnlySpan<float> row);

    /// <summary>Mean of the calibrated probabilities of the other models.</summary>
    private static ChurnModelReport Ensemble(List<ChurnModelReport> models, float[] yTe)
    {
        var p = new float[yTe.Length];
        foreach (var m in models) for (var i = 0; i < p.Length; i++) p[i] += m.HoldoutProbabilities![i] / models.Count;
        return new ChurnModelReport("ensemble_mean", Math.Round(ClassificationMetrics.Auroc(p, yTe), 4),
            Math.Round(ClassificationMetrics.AveragePrecision(p, yTe), 4), double.NaN, Math.Round(ClassificationMetrics.Brier(p, yTe), 4),
            Math.Round(ClassificationMetrics.ExpectedCalibrationError(p, yTe), 4), "mean_of_platt_probabilities", double.NaN, double.NaN);
    }

    private static ChurnModelReport Report(string name, float[] xTr, float[] yTr, float[] xTe, float[] yTe, int cols, int seed,
        Func<float[], float[], int, Scorer> fit, Scorer final)
    {
        // Out-of-fold raw scores on the training part → Platt parameters, applied to the final model's hold-out scores.
        var nTr = yTr.Length;
        var oof = new float[nTr];
        var folds = new int[nTr];
        var rng = new Random(seed + 1);
        for (var i = 0; i < nTr; i++) folds[i] = rng.Next(5);
        for (var k = 0; k < 5; k++)
        {
            var inFold = Enumerable.Range(0, nTr).Where(i => folds[i] != k).ToArray();
            var x = new float[inFold.Length * cols]; var y = new float[inFold.Length];
            for (var j = 0; j < inFold.Length; j++) { xTr.AsSpan(inFold[j] * cols, cols).CopyTo(x.AsSpan(j * cols)); y[j] = yTr[inFold[j]]; }
            var m = fit(x, y, inFold.Length);
            for (var i = 0; i < nTr; i++) if (folds[i] == k) oof[i] = m(xTr.AsSpan(i * cols, cols));
        }
        var platt = PlattScaling.Fit(oof, yTr);
        var raw = new float[yTe.Length];
        for (var i = 0; i < raw.Length; i++) raw[i] = final(xTe.AsSpan(i * cols, cols));
        var uncal = raw.Select(s => (float)(1 / (1 + Math.Exp(-s)))).ToArray();
        var cal = platt.Apply(raw);
        return new ChurnModelReport(name,
            Math.Round(ClassificationMetrics.Auroc(raw, yTe), 4), Math.Round(ClassificationMetrics.AveragePrecision(raw, yTe), 4),
            Math.Round(ClassificationMetrics.Brier(uncal, yTe), 4), Math.Round(ClassificationMetrics.Brier(cal, yTe), 4),
            Math.Round(ClassificationMetrics.ExpectedCalibrationError(cal, yTe), 4), "platt_5fold_oof",
            Math.Round(platt.A, 4), Math.Round(platt.B, 4)) { HoldoutProbabilities = cal };
    }

    internal static (int[] Train, int[] Test) Split(int rows, double testShare, int seed)
    {
        var perm = Enumerable.Range(0, rows).ToArray();
        new Random(seed).Shuffle(perm);
        var nTest = (int)Math.Round(rows * testShare);
        return ([.. perm[nTest..].Order()], [.. perm[..nTest].Order()]);
    }

    private static (float[] X, float[] Y) Take(ChurnDataset d, int[] rows)
    {
        var x = new float[rows.Length * d.Cols]; var y = new float[rows.Length];
        for (var j = 0; j < rows.Length; j++)
        {
            d.Features.AsSpan(rows[j] * d.Cols, d.Cols).CopyTo(x.AsSpan(j * d.Cols));
            y[j] = d.Labels[rows[j]];
        }
        return (x, y);
    }
}
