using Atelier.Ml.Customers;
using Atelier.Ml.Trees;

namespace Atelier.Services.Customers;

public sealed record ChurnModelReport(string Model, double Auroc, double PrAuc, double BrierUncalibrated, double Brier,
    double ExpectedCalibrationError, string Calibration, double PlattA, double PlattB)
{
    /// <summary>5-fold cross-validated AUROC on the training customers (out-of-fold scores): the selection criterion.</summary>
    public double CvAuroc { get; init; }

    /// <summary>For ensembles: the averaged models.</summary>
    public string? Members { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public float[]? HoldoutProbabilities { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    internal float[]? OutOfFoldScores { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    internal float[]? HoldoutScores { get; init; }
}

public sealed record FeatureWeight(string Feature, double Value);

/// <param name="Auroc">Hold-out AUROC of <paramref name="BestModel"/>, the model with the best cross-validated AUROC
/// on the training customers (the hold-out is scored once and never used for the choice).</param>
public sealed record ChurnReport(DateTime Cutoff, DateTime End, int Customers, int Train, int Holdout, double ChurnRate,
    double Auroc, string BestModel, IReadOnlyList<ChurnModelReport> Models, IReadOnlyList<FeatureWeight> GbdtGain,
    IReadOnlyList<FeatureWeight> LogisticCoefficients, double Seconds)
{
    public string Selection { get; init; } = "max 5-fold CV AUROC on the training customers";
    public double CvAuroc { get; init; }
    public IReadOnlyList<DateTime> AugmentCutoffs { get; init; } = [];
    public int AugmentedTrainRows { get; init; }
}

/// <summary>
/// Churn on UCI Online Retail: features before 2011-09-09, churned = no purchase 2011-09-09..2011-12-09,
/// seeded 30 % customer hold-out. Candidates (logistic regression, GBDT, their calibrated mean and rank mean, each
/// also trained on rolling earlier cut-offs of the training customers) are compared by 5-fold cross-validated AUROC
/// on the training customers only; the chosen one is reported on the hold-out. Each is Platt-calibrated on its
/// out-of-fold scores.
/// </summary>
public static class ChurnEvaluation
{
    public static readonly DateTime Cutoff = new(2011, 9, 9);
    public static readonly DateTime End = new(2011, 12, 10);

    /// <summary>Earlier cut-offs for training-set augmentation: the same label-window length, back to back, so every
    /// augmented label window ends at or before <see cref="Cutoff"/> (no view of the hold-out period).</summary>
    public static IReadOnlyList<DateTime> AugmentCutoffs { get; } =
        [Cutoff.AddDays(-(End - Cutoff).Days), Cutoff.AddDays(-2 * (End - Cutoff).Days)];

    public static GbdtOptions GbdtOptions { get; } = new()
    {
        Objective = GbdtObjective.BinaryLogLoss, Trees = 400, LearningRate = 0.02f, MaxLeaves = 4, MinDataInLeaf = 40,
        L2 = 5, FeatureFraction = 0.7f, BaggingFraction = 0.8f, Seed = 42,
    };

    public const double LogisticL2 = 10;

    private const int Folds = 5;

    /// <summary>A design matrix whose first <see cref="MainRows"/> rows are the training customers at the main
    /// cut-off (in training order), followed by augmentation rows; <see cref="Fold"/> is per customer.</summary>
    private sealed record TrainingSet(float[] X, float[] Y, int[] Fold, int Rows, int MainRows, int Cols, float[] Holdout);

    public static ChurnReport Run(IReadOnlyList<CustomerHistory> histories, int seed = 42)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var data = ChurnFeatures.Build(histories, Cutoff, End);
        var (train, test) = Split(data.Rows, 0.3, seed);
        var cols = data.Cols;
        var (xTr, yTr) = Take(data, train);
        var (xTe, yTe) = Take(data, test);
        var rng = new Random(seed + 1);
        var foldOf = new Dictionary<int, int>();
        foreach (var i in train) foldOf[data.CustomerIds[i]] = rng.Next(Folds);
        var main = new TrainingSet(xTr, yTr, [.. train.Select(i => foldOf[data.CustomerIds[i]])], train.Length, train.Length, cols, xTe);
        var augmented = Augment(histories, data, train, test, foldOf);

        var models = new List<ChurnModelReport>();
        var lr = LogisticRegression.Fit(xTr, train.Length, cols, yTr, LogisticL2);
        var gb = GradientBoostedTrees.Fit(xTr, train.Length, cols, yTr, GbdtOptions);
        foreach (var (t, suffix) in new[] { (main, ""), (augmented, "_augmented") })
        {
            var lrs = LogisticGrid.Select(g => Report("logistic_regression" + g.Name + suffix, t, yTe, Logistic(g.L2),
                t == main && g.L2 == LogisticL2 ? r => lr.PredictRaw(r) : null)).ToList();
            var gbs = GbdtGrid.Select(g => Report("gbdt" + g.Name + suffix, t, yTe, Gbdt(g.Options),
                t == main && g.Options == GbdtOptions ? r => gb.PredictRaw(r) : null)).ToList();
            models.AddRange(lrs); models.AddRange(gbs);
            // ensembles of the cross-validated best member of each family
            var (bl, bg) = (lrs.MaxBy(m => m.CvAuroc)!, gbs.MaxBy(m => m.CvAuroc)!);
            var yMain = t.Y.AsSpan(0, t.MainRows);
            models.Add(Ensemble("ensemble_mean" + suffix, bl, bg, yMain, yTe) with { Members = $"{bl.Model} + {bg.Model}" });
            models.Add(RankMean("rank_mean" + suffix, bl, bg, yMain, yTe) with { Members = $"{bl.Model} + {bg.Model}" });
        }
        {
            // In CV, augmentation helps the GBDTs and not the logistic models: pair the CV-best of each family over
            // both training sets (out-of-fold rows and hold-out rows are in the same order in both sets)
            var bl = models.Where(m => m.Model.StartsWith("logistic", StringComparison.Ordinal)).MaxBy(m => m.CvAuroc)!;
            var bg = models.Where(m => m.Model.StartsWith("gbdt", StringComparison.Ordinal)).MaxBy(m => m.CvAuroc)!;
            models.Add(Ensemble("ensemble_mean_mixed", bl, bg, yTr, yTe) with { Members = $"{bl.Model} + {bg.Model}" });
            models.Add(RankMean("rank_mean_mixed", bl, bg, yTr, yTe) with { Members = $"{bl.Model} + {bg.Model}" });
        }
        var best = models.MaxBy(m => m.CvAuroc)!;
        var gain = gb.FeatureImportanceGain();
        var total = gain.Sum();
        return new ChurnReport(Cutoff, End, data.Rows, train.Length, test.Length, data.Labels.Average(), best.Auroc, best.Model, models,
            [.. data.FeatureNames.Select((n, i) => new FeatureWeight(n, Math.Round(gain[i] / total, 4))).OrderByDescending(f => f.Value)],
            [.. data.FeatureNames.Select((n, i) => new FeatureWeight(n, Math.Round(lr.Coefficients[i], 4))).OrderByDescending(f => Math.Abs(f.Value))],
            sw.Elapsed.TotalSeconds)
        { CvAuroc = best.CvAuroc, AugmentCutoffs = AugmentCutoffs, AugmentedTrainRows = augmented.Rows };
    }

    private delegate float Scorer(ReadOnlySpan<float> row);

    /// <summary>Small hyper-parameter grids, compared by cross-validation only (first entry = the default model).</summary>
    private static readonly (string Name, double L2)[] LogisticGrid = [("", LogisticL2), ("_l2_1", 1), ("_l2_100", 100)];

    private static readonly (string Name, GbdtOptions Options)[] GbdtGrid =
    [
        ("", GbdtOptions),
        ("_8_leaves", GbdtOptions with { MaxLeaves = 8, MinDataInLeaf = 60, Trees = 300 }),
        ("_800_trees", GbdtOptions with { Trees = 800, LearningRate = 0.01f }),
    ];

    private static Func<float[], float[], int, int, Scorer> Logistic(double l2) => (x, y, n, cols) =>
    {
        var m = LogisticRegression.Fit(x, n, cols, y, l2);
        return r => m.PredictRaw(r);
    };

    private static Func<float[], float[], int, int, Scorer> Gbdt(GbdtOptions options) => (x, y, n, cols) =>
    {
        var m = GradientBoostedTrees.Fit(x, n, cols, y, options);
        return r => m.PredictRaw(r);
    };

    /// <summary>
    /// The main training rows plus, for every earlier cut-off, the training customers (only) with a purchase before
    /// it: features as of that cut-off, label = no purchase in the following window of the same length. One extra
    /// column, the days of history observable at the cut-off, lets the models tell the cut-offs apart.
    /// </summary>
    private static TrainingSet Augment(IReadOnlyList<CustomerHistory> histories, ChurnDataset data, int[] train, int[] test,
        Dictionary<int, int> foldOf)
    {
        var start = histories.Min(h => h.Invoices[0].Date).Date;
        int cols = data.Cols + 1;
        var x = new List<float>(); var y = new List<float>(); var fold = new List<int>();
        void Add(ChurnDataset d, int row, DateTime cutoff, List<float> into)
        {
            for (var c = 0; c < d.Cols; c++) into.Add(d.Features[row * d.Cols + c]);
            into.Add((float)(cutoff - start).TotalDays);
        }
        foreach (var i in train) { Add(data, i, Cutoff, x); y.Add(data.Labels[i]); fold.Add(foldOf[data.CustomerIds[i]]); }
        var holdout = new List<float>();
        foreach (var i in test) Add(data, i, Cutoff, holdout);
        foreach (var c in AugmentCutoffs)
        {
            var d = ChurnFeatures.Build(histories, c, c + (End - Cutoff));
            for (var r = 0; r < d.Rows; r++)
            {
                if (!foldOf.TryGetValue(d.CustomerIds[r], out var f)) continue; // hold-out customers never enter training
                Add(d, r, c, x); y.Add(d.Labels[r]); fold.Add(f);
            }
        }
        return new TrainingSet([.. x], [.. y], [.. fold], y.Count, train.Length, cols, [.. holdout]);
    }

    /// <summary>Raw out-of-fold scores of the main training rows: each fold's model is trained on the other folds'
    /// customers (main and augmentation rows) and scores that fold's main rows.</summary>
    private static float[] OutOfFold(TrainingSet t, Func<float[], float[], int, int, Scorer> fit)
    {
        var oof = new float[t.MainRows];
        for (var k = 0; k < Folds; k++)
        {
            var rows = Enumerable.Range(0, t.Rows).Where(i => t.Fold[i] != k).ToArray();
            var x = new float[rows.Length * t.Cols]; var y = new float[rows.Length];
            for (var j = 0; j < rows.Length; j++) { t.X.AsSpan(rows[j] * t.Cols, t.Cols).CopyTo(x.AsSpan(j * t.Cols)); y[j] = t.Y[rows[j]]; }
            var m = fit(x, y, rows.Length, t.Cols);
            for (var i = 0; i < t.MainRows; i++) if (t.Fold[i] == k) oof[i] = m(t.X.AsSpan(i * t.Cols, t.Cols));
        }
        return oof;
    }

    private static ChurnModelReport Report(string name, TrainingSet t, float[] yTe, Func<float[], float[], int, int, Scorer> fit,
        Scorer? final)
    {
        // Out-of-fold raw scores on the training part → CV AUROC and Platt parameters, applied to the final model's hold-out scores.
        var oof = OutOfFold(t, fit);
        var yMain = t.Y.AsSpan(0, t.MainRows);
        var platt = PlattScaling.Fit(oof, yMain);
        final ??= fit(t.X, t.Y, t.Rows, t.Cols);
        var raw = new float[yTe.Length];
        for (var i = 0; i < raw.Length; i++) raw[i] = final(t.Holdout.AsSpan(i * t.Cols, t.Cols));
        var uncal = raw.Select(s => (float)(1 / (1 + Math.Exp(-s)))).ToArray();
        var cal = platt.Apply(raw);
        return new ChurnModelReport(name,
            Math.Round(ClassificationMetrics.Auroc(raw, yTe), 4), Math.Round(ClassificationMetrics.AveragePrecision(raw, yTe), 4),
            Math.Round(ClassificationMetrics.Brier(uncal, yTe), 4), Math.Round(ClassificationMetrics.Brier(cal, yTe), 4),
            Math.Round(ClassificationMetrics.ExpectedCalibrationError(cal, yTe), 4), "platt_5fold_oof",
            Math.Round(platt.A, 4), Math.Round(platt.B, 4))
        {
            CvAuroc = Math.Round(ClassificationMetrics.Auroc(oof, yMain), 4), HoldoutProbabilities = cal,
            OutOfFoldScores = oof, HoldoutScores = raw,
        };
    }

    /// <summary>Mean of the two models' Platt-calibrated probabilities (CV: the same on their out-of-fold scores).</summary>
    private static ChurnModelReport Ensemble(string name, ChurnModelReport a, ChurnModelReport b, ReadOnlySpan<float> yTr, float[] yTe)
    {
        var p = new float[yTe.Length];
        for (var i = 0; i < p.Length; i++) p[i] = (a.HoldoutProbabilities![i] + b.HoldoutProbabilities![i]) / 2;
        var pa = new PlattScaling(a.PlattA, a.PlattB).Apply(a.OutOfFoldScores!);
        var pb = new PlattScaling(b.PlattA, b.PlattB).Apply(b.OutOfFoldScores!);
        var cv = new float[yTr.Length];
        for (var i = 0; i < cv.Length; i++) cv[i] = (pa[i] + pb[i]) / 2;
        return new ChurnModelReport(name, Math.Round(ClassificationMetrics.Auroc(p, yTe), 4),
            Math.Round(ClassificationMetrics.AveragePrecision(p, yTe), 4), double.NaN, Math.Round(ClassificationMetrics.Brier(p, yTe), 4),
            Math.Round(ClassificationMetrics.ExpectedCalibrationError(p, yTe), 4), "mean_of_platt_probabilities", double.NaN, double.NaN)
        { CvAuroc = Math.Round(ClassificationMetrics.Auroc(cv, yTr), 4) };
    }

    /// <summary>
    /// Rank average: each model's score becomes its position in that model's out-of-fold score distribution (a
    /// monotone map learnt on the training customers only), the two positions are averaged and Platt-calibrated on
    /// the out-of-fold averages.
    /// </summary>
    private static ChurnModelReport RankMean(string name, ChurnModelReport a, ChurnModelReport b, ReadOnlySpan<float> yTr, float[] yTe)
    {
        float[] sa = [.. a.OutOfFoldScores!.Order()], sb = [.. b.OutOfFoldScores!.Order()];
        var cv = new float[yTr.Length];
        for (var i = 0; i < cv.Length; i++) cv[i] = (Position(sa, a.OutOfFoldScores![i]) + Position(sb, b.OutOfFoldScores![i])) / 2;
        var raw = new float[yTe.Length];
        for (var i = 0; i < raw.Length; i++) raw[i] = (Position(sa, a.HoldoutScores![i]) + Position(sb, b.HoldoutScores![i])) / 2;
        var platt = PlattScaling.Fit(cv, yTr);
        var cal = platt.Apply(raw);
        return new ChurnModelReport(name, Math.Round(ClassificationMetrics.Auroc(raw, yTe), 4),
            Math.Round(ClassificationMetrics.AveragePrecision(raw, yTe), 4), double.NaN, Math.Round(ClassificationMetrics.Brier(cal, yTe), 4),
            Math.Round(ClassificationMetrics.ExpectedCalibrationError(cal, yTe), 4), "platt_on_oof_rank_mean",
            Math.Round(platt.A, 4), Math.Round(platt.B, 4))
        { CvAuroc = Math.Round(ClassificationMetrics.Auroc(cv, yTr), 4), HoldoutProbabilities = cal };
    }

    /// <summary>Empirical CDF of <paramref name="sorted"/> at <paramref name="v"/>, ties counted half.</summary>
    private static float Position(float[] sorted, float v)
    {
        int lo = LowerBound(sorted, v), hi = lo;
        while (hi < sorted.Length && sorted[hi] == v) hi++;
        return (float)((lo + 0.5 * (hi - lo)) / sorted.Length);
    }

    private static int LowerBound(float[] a, float v)
    {
        int lo = 0, hi = a.Length;
        while (lo < hi) { var mid = (lo + hi) >> 1; if (a[mid] < v) lo = mid + 1; else hi = mid; }
        return lo;
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
