using Atelier.Ml.Sparse;

namespace Atelier.Ml.Recommenders;

/// <summary>
/// Shared batch recommend: each model fills a dense score vector per user, the base class applies filters and top-k.
/// Models whose scores are sparse (repurchase, item-kNN) set <see cref="MinScore"/> above zero so that unscored items
/// are never returned and callers can fill the rest from a fallback.
/// </summary>
public abstract class RecommenderBase : IRecommender
{
    public abstract string Name { get; }
    public abstract int ItemCount { get; }
    protected virtual float MinScore => float.Epsilon;

    public abstract void Fit(CsrMatrix userItems);

    /// <summary>Writes the score of every item for <paramref name="user"/> into <paramref name="scores"/> (pre-zeroed).</summary>
    protected abstract void ScoreUser(int user, CsrMatrix userItems, Span<float> scores);

    public virtual RecommendationBatch Recommend(ReadOnlySpan<int> users, CsrMatrix userItems, int n, bool filterAlreadyLiked = true,
        ItemSet? filterItems = null)
    {
        var batch = new RecommendationBatch(users.Length, n);
        var userArray = users.ToArray();
        int items = ItemCount;
        Parallel.For(0, userArray.Length, MlParallel.Options, () => new float[items], (row, _, scores) =>
        {
            int u = userArray[row];
            Array.Clear(scores);
            ScoreUser(u, userItems, scores);
            if (filterAlreadyLiked && u < userItems.Rows)
                foreach (int i in userItems.RowIndices(u)) if (i < items) scores[i] = float.NegativeInfinity;
            Func<int, bool>? skip = filterItems is null ? null : filterItems.Contains;
            TopK.Select(scores, batch.ItemsOf(row), batch.ScoresOf(row), MinScore, skip);
            return scores;
        }, _ => { });
        return batch;
    }

    public abstract RecommendationBatch SimilarItems(int item, int n);

    public virtual void PartialFitUsers(ReadOnlySpan<int> users, CsrMatrix userItems)
    {
        // Models that score directly from the user's row need no per-user state.
    }

    public abstract void Save(Stream stream);

    protected static BinaryWriter Writer(Stream s, string tag)
    {
        var w = new BinaryWriter(s, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(tag);
        return w;
    }

    protected static BinaryReader Reader(Stream s, string tag)
    {
        var r = new BinaryReader(s, System.Text.Encoding.UTF8, leaveOpen: true);
        string found = r.ReadString();
        if (found != tag) throw new InvalidDataException($"Expected a {tag} model, found {found}.");
        return r;
    }
}
