namespace Atelier.Ml.Text;

/// <summary>Accuracy, per-class precision/recall/F1 and macro-F1 (unweighted mean of per-class F1) from labels.</summary>
public sealed record ClassificationMetrics(double Accuracy, double MacroF1, double[] Precision, double[] Recall, double[] F1, int[,] Confusion)
{
    public static ClassificationMetrics Compute(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted, int classes)
    {
        if (truth.Length != predicted.Length) throw new ArgumentException("truth and predictions differ in length");
        var confusion = new int[classes, classes];
        var correct = 0;
        for (var i = 0; i < truth.Length; i++)
        {
            confusion[truth[i], predicted[i]]++;
            if (truth[i] == predicted[i]) correct++;
        }
        var precision = new double[classes];
        var recall = new double[classes];
        var f1 = new double[classes];
        for (var k = 0; k < classes; k++)
        {
            int tp = confusion[k, k], predictedK = 0, actualK = 0;
            for (var j = 0; j < classes; j++)
            {
                predictedK += confusion[j, k];
                actualK += confusion[k, j];
            }
            precision[k] = predictedK == 0 ? 0 : (double)tp / predictedK;
            recall[k] = actualK == 0 ? 0 : (double)tp / actualK;
            f1[k] = precision[k] + recall[k] == 0 ? 0 : 2 * precision[k] * recall[k] / (precision[k] + recall[k]);
        }
        return new ClassificationMetrics(truth.Length == 0 ? 0 : (double)correct / truth.Length, f1.Average(), precision, recall, f1, confusion);
    }

    /// <summary>Argmax of each row of a row-major rows × classes score matrix, after adding per-class offsets.</summary>
    public static int[] ArgMax(ReadOnlySpan<float> scores, int classes, ReadOnlySpan<float> offsets = default)
    {
        var result = new int[scores.Length / classes];
        for (var r = 0; r < result.Length; r++)
        {
            var best = 0;
            var bestScore = float.NegativeInfinity;
            for (var k = 0; k < classes; k++)
            {
                var s = scores[r * classes + k] + (offsets.IsEmpty ? 0 : offsets[k]);
                if (s > bestScore)
                {
                    bestScore = s;
                    best = k;
                }
            }
            result[r] = best;
        }
        return result;
    }
}
