using System.Numerics.Tensors;
using Atelier.Ml.Recommenders.Hybrid;
using Atelier.Ml.Sparse;

namespace Atelier.Ml.Recommenders;

/// <summary>How a similar style was found: by its description and attributes, by what customers bought, or both.</summary>
[Flags]
public enum StyleEvidence { None = 0, Looks = 1, Bought = 2 }

/// <summary>One similar style for an anchor item.</summary>
public readonly record struct SimilarStyle(int Item, float Score, StyleEvidence Evidence);

/// <summary>
/// "Similar styles" for a product page: alternatives to the anchor, not complements (those are
/// <see cref="OutfitRecommender"/>'s). Candidates are the items of the anchor's product group (tops for a top, shoes for
/// shoes), scored by cos(TF-IDF text vectors, <see cref="ContentRecommender.Vectorise"/>) + w · (item-kNN similarity /
/// the anchor's strongest neighbour), so items that look alike and that the same customers bought come first, and a
/// new arrival nobody bought yet can still be found by its description. The anchor's own product (its other colours and
/// sizes) is left out, and each product appears once (its best article).
/// </summary>
public sealed class StyleSimilarity
{
    private readonly float[] _vectors;
    private readonly ItemCatalog _catalog;
    private readonly int[][] _itemsOfGroup;

    /// <param name="texts">Per item: name, type, group, colour, department, description … (what the shop shows).</param>
    public StyleSimilarity(IReadOnlyList<string> texts, ItemCatalog catalog, int dimensions = 256)
    {
        if (texts.Count != catalog.Count) throw new ArgumentException("one text per catalogue item", nameof(texts));
        Dimensions = dimensions;
        _catalog = catalog;
        _vectors = ContentRecommender.Vectorise(texts, dimensions);
        int groups = catalog.Count == 0 ? 0 : catalog.Group.Max() + 1;
        var lists = new List<int>[groups];
        for (int g = 0; g < groups; g++) lists[g] = [];
        for (int i = 0; i < catalog.Count; i++) if (catalog.Group[i] >= 0) lists[catalog.Group[i]].Add(i);
        _itemsOfGroup = lists.Select(l => l.ToArray()).ToArray();
    }

    public int Dimensions { get; }

    /// <summary>Weight of the purchase signal against the text cosine (both in [0, 1]); 1 = equal footing.</summary>
    public const float DefaultBehaviourWeight = 1f;

    /// <summary>Below this cosine two texts share little more than common words: "looks alike" is not claimed.</summary>
    public const float LooksAlike = 0.2f;

    /// <param name="neighbours">Item-kNN neighbour rows (<see cref="ItemKnnRecommender.Neighbours"/>); null = text only.</param>
    /// <param name="exclude">Items not to return (out of stock); null = none.</param>
    public SimilarStyle[] Similar(int item, int n, CsrMatrix? neighbours, ItemSet? exclude = null, float behaviourWeight = DefaultBehaviourWeight)
    {
        if ((uint)item >= (uint)_catalog.Count || n <= 0) return [];
        var group = _catalog.Group[item];
        var candidates = group >= 0 && group < _itemsOfGroup.Length ? _itemsOfGroup[group] : [];
        var bought = new Dictionary<int, float>();
        if (neighbours is not null && item < neighbours.Rows && neighbours.RowLength(item) > 0)
        {
            var idx = neighbours.RowIndices(item);
            var val = neighbours.RowValues(item);
            float max = TensorPrimitives.Max(val);
            if (max > 0)
                for (int k = 0; k < idx.Length; k++)
                    if (idx[k] < _catalog.Count && _catalog.Group[idx[k]] == group && val[k] > 0) bought[idx[k]] = val[k] / max;
        }
        var anchor = Vector(item);
        int product = _catalog.Product[item];
        // Best article per product, then the n best products.
        var best = new Dictionary<int, SimilarStyle>();
        foreach (int i in candidates)
        {
            if (_catalog.Product[i] == product || (exclude?.Contains(i) ?? false)) continue;
            float looks = TensorPrimitives.Dot(anchor, Vector(i));
            float b = bought.GetValueOrDefault(i);
            float score = Math.Max(looks, 0f) + behaviourWeight * b;
            if (score <= 0) continue;
            var evidence = (looks >= LooksAlike ? StyleEvidence.Looks : StyleEvidence.None) | (b > 0 ? StyleEvidence.Bought : StyleEvidence.None);
            var p = _catalog.Product[i];
            if (!best.TryGetValue(p, out var cur) || score > cur.Score || (score == cur.Score && i < cur.Item))
                best[p] = new SimilarStyle(i, score, evidence);
        }
        return best.Values.OrderByDescending(s => s.Score).ThenBy(s => s.Item).Take(n).ToArray();
    }

    private ReadOnlySpan<float> Vector(int item) => _vectors.AsSpan(item * Dimensions, Dimensions);
}
