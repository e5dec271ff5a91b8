using Atelier.Ml.Sparse;

namespace Atelier.Ml.Recommenders;

/// <summary>
/// Buy-again: the user's own items ranked by their (recency-weighted) value in <c>userItems</c>.
/// Callers pass <c>filterAlreadyLiked: false</c>; with it set nothing can be returned.
/// </summary>
public sealed class RepurchaseRecommender : RecommenderBase
{
    private int _items;

    public override string Name => "repurchase";
    public override int ItemCount => _items;

    public override void Fit(CsrMatrix userItems) => _items = userItems.Cols;

    protected override void ScoreUser(int user, CsrMatrix userItems, Span<float> scores)
    {
        if (user >= userItems.Rows) return;
        var idx = userItems.RowIndices(user);
        var val = userItems.RowValues(user);
        for (int k = 0; k < idx.Length; k++) scores[idx[k]] = val[k];
    }

    /// <summary>Sparse path: only the user's own row is scanned.</summary>
    public override RecommendationBatch Recommend(ReadOnlySpan<int> users, CsrMatrix userItems, int n, bool filterAlreadyLiked = false,
        ItemSet? filterItems = null)
    {
        var batch = new RecommendationBatch(users.Length, n);
        if (filterAlreadyLiked) return batch;
        Func<int, bool>? skip = filterItems is null ? null : filterItems.Contains;
        for (int row = 0; row < users.Length; row++)
        {
            int u = users[row];
            if (u >= userItems.Rows) continue;
            TopK.SelectFrom(userItems.RowIndices(u), userItems.RowValues(u), batch.ItemsOf(row), batch.ScoresOf(row), skip);
        }
        return batch;
    }

    public override RecommendationBatch SimilarItems(int item, int n) => new(1, n);

    public override void Save(Stream stream)
    {
        using var w = Writer(stream, Name);
        w.Write(_items);
    }

    public static RepurchaseRecommender Load(Stream stream)
    {
        using var r = Reader(stream, "repurchase");
        return new RepurchaseRecommender { _items = r.ReadInt32() };
    }
}
