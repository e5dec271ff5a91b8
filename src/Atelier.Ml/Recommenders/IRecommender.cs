using Atelier.Ml.Sparse;

namespace Atelier.Ml.Recommenders;

/// <summary>
/// The contract every recommender follows (after implicit's RecommenderBase): index-based, batch-capable.
/// Rows of <c>userItems</c> are users, columns items; ids are indices, id mapping lives in Services.
/// </summary>
public interface IRecommender
{
    string Name { get; }

    void Fit(CsrMatrix userItems);

    /// <summary>
    /// Top-<paramref name="n"/> items for each user in <paramref name="users"/>. Items the user already has in
    /// <paramref name="userItems"/> are removed when <paramref name="filterAlreadyLiked"/>; items in
    /// <paramref name="filterItems"/> are never returned (e.g. out of stock). Empty slots are -1.
    /// </summary>
    RecommendationBatch Recommend(ReadOnlySpan<int> users, CsrMatrix userItems, int n, bool filterAlreadyLiked = true,
        ItemSet? filterItems = null);

    /// <summary>The <paramref name="n"/> nearest items to <paramref name="item"/> (the item itself excluded).</summary>
    RecommendationBatch SimilarItems(int item, int n);

    /// <summary>Updates (or adds) the given users from their rows in <paramref name="userItems"/> without refitting items.</summary>
    void PartialFitUsers(ReadOnlySpan<int> users, CsrMatrix userItems);

    void Save(Stream stream);
}
