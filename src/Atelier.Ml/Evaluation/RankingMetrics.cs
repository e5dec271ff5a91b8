namespace Atelier.Ml.Evaluation;

/// <summary>Averages over users of the top-K ranking metrics; coverage is distinct recommended items / catalogue size.</summary>
public sealed record RankingReport(int Users, double MapAtK, double PrecisionAtK, double RecallAtK, double NdcgAtK, double Coverage);

/// <summary>
/// Ranking metrics at K. AP@K follows the H&amp;M Kaggle definition: Σ_{k≤K} P(k)·rel(k) / min(|actual|, K),
/// where duplicates in the prediction count once and a user without purchases is not scored.
/// </summary>
public static class RankingMetrics
{
    public static double AveragePrecision(ReadOnlySpan<int> predicted, IReadOnlySet<int> actual, int k = 12)
    {
        if (actual.Count == 0) return 0;
        double score = 0;
        int hits = 0, seenCount = 0;
        Span<int> seen = stackalloc int[Math.Min(k, predicted.Length)];
        for (int r = 0; r < predicted.Length && r < k; r++)
        {
            int item = predicted[r];
            if (item < 0) continue;
            bool dup = seen[..seenCount].Contains(item);
            seen[seenCount++] = item;
            if (!dup && actual.Contains(item))
            {
                hits++;
                score += hits / (double)(r + 1);
            }
        }
        return score / Math.Min(actual.Count, k);
    }

    public static int Hits(ReadOnlySpan<int> predicted, IReadOnlySet<int> actual, int k)
    {
        int hits = 0;
        for (int r = 0; r < predicted.Length && r < k; r++)
            if (predicted[r] >= 0 && actual.Contains(predicted[r]) && predicted[..r].IndexOf(predicted[r]) < 0) hits++;
        return hits;
    }

    public static double Precision(ReadOnlySpan<int> predicted, IReadOnlySet<int> actual, int k = 12) => Hits(predicted, actual, k) / (double)k;

    public static double Recall(ReadOnlySpan<int> predicted, IReadOnlySet<int> actual, int k = 12) =>
        actual.Count == 0 ? 0 : Hits(predicted, actual, k) / (double)actual.Count;

    /// <summary>Binary-relevance NDCG: Σ rel/log2(rank+1) over the ideal DCG of min(|actual|, K) hits.</summary>
    public static double Ndcg(ReadOnlySpan<int> predicted, IReadOnlySet<int> actual, int k = 12)
    {
        if (actual.Count == 0) return 0;
        double dcg = 0, idcg = 0;
        for (int r = 0; r < predicted.Length && r < k; r++)
            if (predicted[r] >= 0 && actual.Contains(predicted[r]) && predicted[..r].IndexOf(predicted[r]) < 0)
                dcg += 1 / Math.Log2(r + 2);
        for (int r = 0; r < Math.Min(actual.Count, k); r++) idcg += 1 / Math.Log2(r + 2);
        return dcg / idcg;
    }

    /// <summary>Averages over the rows of a flat prediction matrix (<paramref name="n"/> items per row) vs actual sets.</summary>
    public static RankingReport Evaluate(ReadOnlySpan<int> predictions, int n, IReadOnlyList<IReadOnlySet<int>> actual, int catalogueSize,
        int k = 12)
    {
        int users = actual.Count;
        double map = 0, p = 0, rec = 0, ndcg = 0;
        var distinct = new HashSet<int>();
        for (int u = 0; u < users; u++)
        {
            var row = predictions.Slice(u * n, n);
            map += AveragePrecision(row, actual[u], k);
            p += Precision(row, actual[u], k);
            rec += Recall(row, actual[u], k);
            ndcg += Ndcg(row, actual[u], k);
            for (int r = 0; r < Math.Min(k, n); r++) if (row[r] >= 0) distinct.Add(row[r]);
        }
        double d = Math.Max(1, users);
        return new RankingReport(users, map / d, p / d, rec / d, ndcg / d, catalogueSize == 0 ? 0 : distinct.Count / (double)catalogueSize);
    }
}
