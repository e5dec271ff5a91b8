using Atelier.Ml.Sparse;

namespace Atelier.Ml.Recommenders;

/// <summary>
/// Session-aware recommendations from the last N viewed/added items (session item-kNN, after Ludewig &amp; Jannach 2018):
/// score(j) = Σ_t d^(N−1−t)·S[e_t, j] + β·share(category(j))·trend(j), where share is the session's share of events in
/// that category, so a visitor browsing dresses is shown dresses. An empty session gets trending (in a category
/// context when one is given).
/// </summary>
public sealed class SessionRecommender
{
    private readonly CsrMatrix _neighbours;
    private readonly int[] _category;
    private readonly int[] _trending;
    private readonly float[] _trendNorm;

    public SessionRecommender(CsrMatrix itemNeighbours, int[] itemCategory, ReadOnlySpan<int> trendingRanked, ReadOnlySpan<float> trendingScores,
        float decay = 0.8f, float categoryBoost = 1f)
    {
        _neighbours = itemNeighbours;
        _category = itemCategory;
        _trending = trendingRanked.ToArray();
        float max = 0;
        foreach (float s in trendingScores) max = Math.Max(max, s);
        _trendNorm = new float[itemCategory.Length];
        for (int i = 0; i < Math.Min(_trendNorm.Length, trendingScores.Length); i++) _trendNorm[i] = max > 0 ? trendingScores[i] / max : 0f;
        Decay = decay;
        CategoryBoost = categoryBoost;
    }

    public float Decay { get; }
    public float CategoryBoost { get; }

    /// <summary>Top-<paramref name="n"/> for a session (oldest event first); <paramref name="contextCategory"/> is used when empty.</summary>
    public RecommendationBatch Recommend(ReadOnlySpan<int> sessionItems, int n, ItemSet? exclude = null, int? contextCategory = null)
    {
        var batch = new RecommendationBatch(1, n);
        var items = batch.ItemsOf(0);
        var scores = batch.ScoresOf(0);
        if (sessionItems.IsEmpty)
        {
            int c = 0;
            foreach (int i in _trending)
            {
                if (c >= n) break;
                if (exclude is not null && exclude.Contains(i)) continue;
                if (contextCategory is int cat && _category[i] != cat) continue;
                items[c] = i;
                scores[c++] = _trendNorm[i];
            }
            return batch;
        }
        var dense = new float[_category.Length];
        var share = new Dictionary<int, float>();
        float w = 1;
        for (int t = sessionItems.Length - 1; t >= 0; t--, w *= Decay)
        {
            int e = sessionItems[t];
            share[_category[e]] = share.GetValueOrDefault(_category[e]) + 1f / sessionItems.Length;
            if (e >= _neighbours.Rows) continue;
            var nb = _neighbours.RowIndices(e);
            var s = _neighbours.RowValues(e);
            for (int k = 0; k < nb.Length; k++) dense[nb[k]] += w * s[k];
        }
        for (int i = 0; i < dense.Length; i++)
            if (share.TryGetValue(_category[i], out float sh)) dense[i] += CategoryBoost * sh * _trendNorm[i];
        foreach (int e in sessionItems) dense[e] = float.NegativeInfinity;
        TopK.Select(dense, items, scores, float.Epsilon, exclude is null ? null : exclude.Contains);
        return batch;
    }
}
