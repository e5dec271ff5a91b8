using Atelier.Ml.Sparse;

namespace Atelier.Ml.Recommenders;

/// <summary>
/// Non-personalised ranking by item weight: the column sums of the fitted matrix. Time decay is in the values
/// (the caller weights each purchase by e.g. 0.5^(age/half-life)), so the model stays index-based.
/// </summary>
public class PopularityRecommender : RecommenderBase
{
    protected float[] ItemScores = [];
    protected int[] Ranked = [];

    public override string Name => "popularity";
    public override int ItemCount => ItemScores.Length;
    public ReadOnlySpan<float> Scores => ItemScores;

    /// <summary>Items by descending score (only items with a positive score).</summary>
    public ReadOnlySpan<int> RankedItems => Ranked;

    public override void Fit(CsrMatrix userItems)
    {
        var s = new float[userItems.Cols];
        for (int k = 0; k < userItems.NonZeros; k++) s[userItems.Indices[k]] += userItems.Values[k];
        SetScores(s);
    }

    protected void SetScores(float[] scores)
    {
        ItemScores = scores;
        var items = new int[scores.Length];
        var sc = new float[scores.Length];
        int m = TopK.Select(scores, items, sc, float.Epsilon);
        Ranked = items.AsSpan(0, m).ToArray();
    }

    protected override void ScoreUser(int user, CsrMatrix userItems, Span<float> scores) => ItemScores.CopyTo(scores);

    /// <summary>Walks the global ranking per user: O(n + row length) instead of O(items).</summary>
    public override RecommendationBatch Recommend(ReadOnlySpan<int> users, CsrMatrix userItems, int n, bool filterAlreadyLiked = true,
        ItemSet? filterItems = null)
    {
        var batch = new RecommendationBatch(users.Length, n);
        for (int row = 0; row < users.Length; row++)
        {
            int u = users[row];
            var owned = filterAlreadyLiked && u < userItems.Rows ? userItems.RowIndices(u) : [];
            var items = batch.ItemsOf(row);
            var scores = batch.ScoresOf(row);
            int c = 0;
            for (int r = 0; r < Ranked.Length && c < n; r++)
            {
                int i = Ranked[r];
                if (filterItems is not null && filterItems.Contains(i)) continue;
                if (owned.Length > 0 && owned.BinarySearch(i) >= 0) continue;
                items[c] = i;
                scores[c++] = ItemScores[i];
            }
        }
        return batch;
    }

    public override RecommendationBatch SimilarItems(int item, int n) => new(1, n);

    public override void Save(Stream stream)
    {
        using var w = Writer(stream, Name);
        Binary.WriteArray(w, ItemScores);
    }

    public static T Load<T>(Stream stream) where T : PopularityRecommender, new()
    {
        var m = new T();
        using var r = Reader(stream, m.Name);
        m.SetScores(Binary.ReadFloats(r));
        return m;
    }
}
