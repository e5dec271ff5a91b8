using System.Diagnostics;
using Atelier.Ml.Text;

namespace Atelier.Services.Reviews;

/// <summary>
/// Review sentiment evaluation on Women's E-Commerce Clothing Reviews: seeded stratified 80/20 split (strata =
/// rating × recommended); each task picks its candidate and decision offsets on a 15% validation split carved from
/// train, refits on all of train and is scored once on test. VADER is scored with its standard ±0.05 thresholds.
/// </summary>
public static class SentimentEvaluation
{
    public const float VaderThreshold = 0.05f;

    public static SentimentEvalResult Run(IReadOnlyList<SentimentCandidate> recommendedCandidates,
        IReadOnlyList<SentimentCandidate> threeClassCandidates, int seed, Action<string>? log = null)
    {
        var clock = Stopwatch.StartNew();
        var rows = ReviewDatasets.ReadWomens();
        var vader = VaderLexicon.CreateScorer();
        var texts = rows.ConvertAll(r => r.Text);
        var vaderFeatures = VaderFeatures(vader, texts);
        var (train, test) = StratifiedSplit.Split(rows.ConvertAll(r => r.Rating * 2 + (r.Recommended == true ? 1 : 0)), 0.2, seed);
        log?.Invoke($"{rows.Count} reviews: {train.Length} train / {test.Length} test");
        var recommendedLabels = rows.ConvertAll(r => r.Recommended == true ? 1 : 0).ToArray();
        var threeLabels = rows.ConvertAll(r => r.ThreeClass).ToArray();

        var ratings = new Ordinal(rows.ConvertAll(r => r.Rating - 1).ToArray(), 5, [0, 0, 1, 2, 2]);
        var (recModel, recName) = TrainTask(texts, vaderFeatures, recommendedLabels, 2, null, train, recommendedCandidates, seed, log);
        var (threeModel, threeName) = TrainTask(texts, vaderFeatures, threeLabels, 3, ratings, train, threeClassCandidates, seed, log);
        var testTexts = Pick(texts, test);
        var recFigures = Score(recModel, recName, testTexts, Rows(vaderFeatures, test, 3), Pick(recommendedLabels, test), 2);
        var threeFigures = Score(threeModel, threeName, testTexts, Rows(vaderFeatures, test, 3), Pick(threeLabels, test), 3);
        var compound = Pick(vaderFeatures, test, 3);
        var vaderFigures = Figures(Pick(recommendedLabels, test), VaderBinary(compound), 2, "vader compound >= 0.05");
        var vaderThree = Figures(Pick(threeLabels, test), VaderThreeClass(compound), 3, "vader ±0.05");
        log?.Invoke($"test: recommended {recFigures}, three-class {threeFigures}, vader {vaderFigures}");

        AmazonFigures? amazon = null;
        if (Datasets.DataPaths.TryGet(ReviewDatasets.AmazonFolder, out _))
            amazon = ScoreAmazon(recModel, recName, threeModel, threeName, vader);
        using var buffer = new MemoryStream();
        recModel.Save(buffer);
        threeModel.Save(buffer);
        var sizeFit = ScoreSizeFit(rows, vader);
        return new SentimentEvalResult(recFigures, threeFigures, vaderFigures, vaderThree, amazon, sizeFit,
            train.Length, test.Length, seed, clock.Elapsed.TotalSeconds, buffer.Length);
    }

    /// <summary>Finer ordinal labels (star ratings) and the map from them to the task's classes.</summary>
    private sealed record Ordinal(int[] Labels, int Classes, int[] Map);

    private static (TextClassifier Model, string Name) TrainTask(List<string> texts, float[] vaderFeatures, int[] labels,
        int classes, Ordinal? ordinal, int[] train, IReadOnlyList<SentimentCandidate> candidates, int seed, Action<string>? log)
    {
        var (fitPart, valPart) = StratifiedSplit.Split(Pick(labels, train), 0.15, seed + 1);
        var fitRows = Pick(train, fitPart);
        var valRows = Pick(train, valPart);
        SentimentCandidate? best = null;
        float[] bestOffsets = [];
        var bestScore = double.NegativeInfinity;
        foreach (var candidate in candidates)
        {
            var clock = Stopwatch.StartNew();
            var model = Fit(candidate, texts, vaderFeatures, labels, classes, ordinal, fitRows);
            var proba = model.PredictProba(Pick(texts, valRows), candidate.UseVader ? Rows(vaderFeatures, valRows, 3) : null);
            var truth = Pick(labels, valRows);
            var offsets = DecisionTuning.TuneOffsets(proba, truth, classes);
            var plain = ClassificationMetrics.Compute(truth, ClassificationMetrics.ArgMax(proba, classes), classes);
            var tuned = ClassificationMetrics.Compute(truth, ClassificationMetrics.ArgMax(proba, classes, offsets), classes);
            log?.Invoke($"  [{classes}-class] {candidate.Name}: val acc {plain.Accuracy:F4} F1 {plain.MacroF1:F4}; tuned acc {tuned.Accuracy:F4} F1 {tuned.MacroF1:F4} ({model.Features} features, {model.Iterations} iterations, {clock.Elapsed.TotalSeconds:F1}s)");
            var score = tuned.MacroF1 + 0.1 * tuned.Accuracy;
            if (score <= bestScore) continue;
            bestScore = score;
            best = candidate;
            bestOffsets = offsets;
        }
        if (best is null) throw new ArgumentException("no candidate models", nameof(candidates));
        var final = Fit(best, texts, vaderFeatures, labels, classes, ordinal, train);
        bestOffsets.CopyTo(final.Offsets, 0);
        return (final, best.Name);
    }

    private static TextClassifier Fit(SentimentCandidate c, List<string> texts, float[] vaderFeatures, int[] labels, int classes,
        Ordinal? ordinal, int[] rows)
    {
        var dense = c.UseVader ? Rows(vaderFeatures, rows, 3) : null;
        var width = c.UseVader ? 3 : 0;
        if (!c.Ordinal || ordinal is null) return TextClassifier.Fit(Pick(texts, rows), Pick(labels, rows), classes, c.Options, dense, width);
        return TextClassifier.Fit(Pick(texts, rows), Pick(ordinal.Labels, rows), ordinal.Classes, c.Options, dense, width).Collapse(ordinal.Map);
    }

    private static ClassificationFigures Score(TextClassifier model, string name, List<string> texts, float[] vader, int[] truth, int classes) =>
        Figures(truth, model.Predict(texts, model.DenseWidth > 0 ? vader : null), classes, name);

    private static AmazonFigures ScoreAmazon(TextClassifier rec, string recName, TextClassifier three, string threeName, VaderScorer vader)
    {
        var rows = ReviewDatasets.ReadAmazon();
        var texts = rows.ConvertAll(r => r.Text);
        var features = VaderFeatures(vader, texts);
        var positive = rows.ConvertAll(r => r.Rating >= 4 ? 1 : 0).ToArray();
        var threeTruth = rows.ConvertAll(r => r.ThreeClass).ToArray();
        var compound = Pick(features, Enumerable.Range(0, rows.Count).ToArray(), 3);
        return new AmazonFigures(
            Score(rec, recName, texts, features, positive, 2),
            Score(three, threeName, texts, features, threeTruth, 3),
            Figures(positive, VaderBinary(compound), 2, "vader compound >= 0.05"),
            Figures(threeTruth, VaderThreeClass(compound), 3, "vader ±0.05"));
    }

    /// <summary>The size-and-fit extractor against the hand labels, or null when the label file is not found.</summary>
    public static SizeFitFigures? ScoreSizeFit(List<ReviewRecord>? rows = null, VaderScorer? vader = null)
    {
        var path = SizeFitLabels.Find();
        if (path is null) return null;
        using var reader = new StreamReader(path);
        var labels = SizeFitLabels.Read(reader);
        rows ??= ReviewDatasets.ReadWomens();
        var texts = rows.ToDictionary(r => r.Index, r => r.Text);
        return SizeFitLabels.Score(labels, texts, new AspectExtractor(vader ?? VaderLexicon.CreateScorer()));
    }

    /// <summary>Per text: compound, positive and negative proportions.</summary>
    public static float[] VaderFeatures(VaderScorer vader, IReadOnlyList<string> texts)
    {
        var f = new float[texts.Count * 3];
        Parallel.For(0, texts.Count, i =>
        {
            var s = vader.Score(texts[i]);
            f[i * 3] = (float)s.Compound;
            f[i * 3 + 1] = (float)s.Positive;
            f[i * 3 + 2] = (float)s.Negative;
        });
        return f;
    }

    private static int[] VaderBinary(float[] compound) => Array.ConvertAll(compound, c => c >= VaderThreshold ? 1 : 0);

    private static int[] VaderThreeClass(float[] compound) =>
        Array.ConvertAll(compound, c => c <= -VaderThreshold ? 0 : c < VaderThreshold ? 1 : 2);

    private static ClassificationFigures Figures(int[] truth, int[] predicted, int classes, string model)
    {
        var m = ClassificationMetrics.Compute(truth, predicted, classes);
        return new ClassificationFigures(Math.Round(m.Accuracy, 4), Math.Round(m.MacroF1, 4), truth.Length, model);
    }

    private static T[] Pick<T>(T[] source, int[] rows) => Array.ConvertAll(rows, r => source[r]);
    private static List<string> Pick(List<string> source, int[] rows) => Array.ConvertAll(rows, r => source[r]).ToList();

    /// <summary>Column 0 of each selected row of a rows × width block (the VADER compound).</summary>
    private static float[] Pick(float[] block, int[] rows, int width) => Array.ConvertAll(rows, r => block[r * width]);

    private static float[] Rows(float[] block, int[] rows, int width)
    {
        var result = new float[rows.Length * width];
        for (var i = 0; i < rows.Length; i++) Array.Copy(block, rows[i] * width, result, i * width, width);
        return result;
    }
}
