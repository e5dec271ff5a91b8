namespace Atelier.Ml.Customers;

/// <summary>Ranking metrics for binary scores (label 1 = positive).</summary>
public static class ClassificationMetrics
{
    /// <summary>Area under the ROC curve = P(score of a random positive &gt; random negative), ties count ½ (Mann–Whitney U).</summary>
    public static double Auroc(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels)
    {
        var n = scores.Length;
        var idx = SortedAscending(scores);
        double rankSumPos = 0;
        long pos = 0;
        for (var i = 0; i < n;)
        {
            var j = i;
            while (j + 1 < n && scores[idx[j + 1]] == scores[idx[i]]) j++;
            var avgRank = (i + j) / 2.0 + 1; // 1-based mid rank of the tie block
            for (var k = i; k <= j; k++)
                if (labels[idx[k]] > 0.5f) { rankSumPos += avgRank; pos++; }
            i = j + 1;
        }
        var neg = n - pos;
        if (pos == 0 || neg == 0) return double.NaN;
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double)pos * neg);
    }

    /// <summary>
    /// PR-AUC as average precision: Σ over thresholds (ΔRecall × Precision), tied scores taken as one threshold
    /// (the definition scikit-learn's average_precision_score uses).
    /// </summary>
    public static double AveragePrecision(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels)
    {
        var n = scores.Length;
        var idx = SortedAscending(scores);
        long totalPos = 0;
        for (var i = 0; i < n; i++) if (labels[i] > 0.5f) totalPos++;
        if (totalPos == 0) return double.NaN;
        double ap = 0, prevRecall = 0;
        long tp = 0, seen = 0;
        for (var i = n - 1; i >= 0;)
        {
            var j = i;
            while (j - 1 >= 0 && scores[idx[j - 1]] == scores[idx[i]]) j--;
            for (var k = j; k <= i; k++) { seen++; if (labels[idx[k]] > 0.5f) tp++; }
            var recall = (double)tp / totalPos;
            ap += (recall - prevRecall) * ((double)tp / seen);
            prevRecall = recall;
            i = j - 1;
        }
        return ap;
    }

    /// <summary>Mean squared error of probabilities against 0/1 labels.</summary>
    public static double Brier(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels)
    {
        double s = 0;
        for (var i = 0; i < probabilities.Length; i++) s += Math.Pow(probabilities[i] - labels[i], 2);
        return s / probabilities.Length;
    }

    /// <summary>Expected calibration error over equal-width probability bins (weighted |mean p − observed rate|).</summary>
    public static double ExpectedCalibrationError(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels, int bins = 10)
    {
        var sumP = new double[bins]; var sumY = new double[bins]; var cnt = new int[bins];
        for (var i = 0; i < probabilities.Length; i++)
        {
            var b = Math.Clamp((int)(probabilities[i] * bins), 0, bins - 1);
            sumP[b] += probabilities[i]; sumY[b] += labels[i]; cnt[b]++;
        }
        double ece = 0;
        for (var b = 0; b < bins; b++) if (cnt[b] > 0) ece += Math.Abs(sumP[b] - sumY[b]) / probabilities.Length;
        return ece;
    }

    private static int[] SortedAscending(ReadOnlySpan<float> scores)
    {
        var idx = new int[scores.Length];
        for (var i = 0; i < idx.Length; i++) idx[i] = i;
        var keys = scores.ToArray();
        Array.Sort(keys, idx);
        return idx;
    }
}
