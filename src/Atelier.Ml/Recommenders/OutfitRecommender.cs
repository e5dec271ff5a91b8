using Atelier.Ml.Recommenders.Hybrid;
using Atelier.Ml.Sparse;

namespace Atelier.Ml.Recommenders;

/// <summary>
/// Complete-the-outfit: complementary items learned from same-basket (same customer and day) co-purchases across
/// product groups, re-weighted by learned colour affinity; never an item of a product type already in the cart.
/// When an item has no co-purchases, the most popular items of the groups most often bought with its group fill in.
/// </summary>
public sealed class OutfitRecommender
{
    private readonly ItemCatalog _catalog;
    private CsrMatrix _pairs = new(0, 0, [0], [], []);
    private float[] _colourAffinity = [];
    private int _colours;
    private Dictionary<int, int[]> _groupPartners = [];
    private Dictionary<int, int[]> _groupTopItems = [];

    public OutfitRecommender(ItemCatalog catalog) => _catalog = catalog;

    public void Fit(InteractionLog log, int neighbours = 50)
    {
        int items = log.ItemCount;
        _colours = 1;
        foreach (int c in _catalog.Colour) _colours = Math.Max(_colours, c + 1);
        var colourPairs = new float[_colours * _colours];
        var colourTotals = new float[_colours];
        var groupPairs = new Dictionary<(int, int), int>();
        var baskets = new Dictionary<(int User, int Day), List<int>>();
        for (int k = 0; k < log.Count; k++)
        {
            var key = (log.Users[k], log.Days[k]);
            if (!baskets.TryGetValue(key, out var b)) baskets[key] = b = [];
            if (!b.Contains(log.Items[k])) b.Add(log.Items[k]);
        }
        var builder = new CsrBuilder();
        foreach (var basket in baskets.Values)
        {
            if (basket.Count < 2 || basket.Count > 40) continue;
            foreach (int i in basket)
                foreach (int j in basket)
                {
                    if (i == j || _catalog.Group[i] == _catalog.Group[j]) continue;
                    builder.Add(i, j, 1f);
                    colourPairs[_catalog.Colour[i] * _colours + _catalog.Colour[j]]++;
                    colourTotals[_catalog.Colour[i]]++;
                    var gk = (_catalog.Group[i], _catalog.Group[j]);
                    groupPairs[gk] = groupPairs.GetValueOrDefault(gk) + 1;
                }
        }
        _pairs = builder.Build(items, items);
        // Colour affinity: lift of colour j given colour i over j's overall share.
        var colourShare = new float[_colours];
        float all = colourTotals.Sum();
        for (int a = 0; a < _colours; a++)
            for (int b = 0; b < _colours; b++) colourShare[b] += colourPairs[a * _colours + b];
        _colourAffinity = new float[_colours * _colours];
        for (int a = 0; a < _colours; a++)
            for (int b = 0; b < _colours; b++)
                _colourAffinity[a * _colours + b] = colourTotals[a] > 0 && colourShare[b] > 0
                    ? colourPairs[a * _colours + b] / colourTotals[a] / (colourShare[b] / all) : 1f;
        _groupPartners = groupPairs.GroupBy(p => p.Key.Item1)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(p => p.Value).Select(p => p.Key.Item2).Take(3).ToArray());
        var pop = new float[items];
        foreach (int i in log.Items) pop[i]++;
        _groupTopItems = Enumerable.Range(0, items).Where(i => pop[i] > 0).GroupBy(i => _catalog.Group[i])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(i => pop[i]).ThenBy(i => i).Take(neighbours).ToArray());
    }

    /// <summary>Complementary items for a cart (or a single article), best first.</summary>
    public RecommendationBatch Complete(ReadOnlySpan<int> cart, int n, ItemSet? exclude = null)
    {
        var scores = new Dictionary<int, float>();
        var types = new HashSet<int>();
        foreach (int c in cart) types.Add(_catalog.Category[c]);
        foreach (int c in cart)
        {
            if (c < _pairs.Rows)
            {
                var nb = _pairs.RowIndices(c);
                var v = _pairs.RowValues(c);
                for (int k = 0; k < nb.Length; k++)
                    scores[nb[k]] = scores.GetValueOrDefault(nb[k]) + v[k] * ColourAffinity(c, nb[k]);
            }
            // Group-level fallback with a small weight so learned pairs always rank first.
            if (_groupPartners.TryGetValue(_catalog.Group[c], out var partners))
                foreach (int g in partners)
                    if (_groupTopItems.TryGetValue(g, out var top))
                        for (int r = 0; r < top.Length; r++)
                            scores[top[r]] = scores.GetValueOrDefault(top[r]) + 0.01f / (r + 1) * ColourAffinity(c, top[r]);
        }
        var cand = new List<int>();
        var sc = new List<float>();
        foreach (var (i, s) in scores)
        {
            if (types.Contains(_catalog.Category[i]) || (exclude is not null && exclude.Contains(i))) continue;
            cand.Add(i);
            sc.Add(s);
        }
        var batch = new RecommendationBatch(1, n);
        TopK.SelectFrom(cand.ToArray(), sc.ToArray(), batch.ItemsOf(0), batch.ScoresOf(0));
        return batch;
    }

    private const string Tag = "outfit";

    public void Save(Stream stream)
    {
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(Tag);
        _pairs.Write(w);
        w.Write(_colours);
        Binary.WriteArray(w, _colourAffinity);
        WriteGroups(w, _groupPartners);
        WriteGroups(w, _groupTopItems);
    }

    /// <summary>Restores a saved model for the same <paramref name="catalog"/> it was fitted with.</summary>
    public static OutfitRecommender Load(Stream stream, ItemCatalog catalog)
    {
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (r.ReadString() != Tag) throw new InvalidDataException("not an outfit model");
        var m = new OutfitRecommender(catalog) { _pairs = CsrMatrix.Read(r), _colours = r.ReadInt32() };
        m._colourAffinity = Binary.ReadFloats(r);
        m._groupPartners = ReadGroups(r);
        m._groupTopItems = ReadGroups(r);
        if (m._colourAffinity.Length != m._colours * m._colours || (m._pairs.Rows > 0 && m._pairs.Rows != catalog.Count))
            throw new InvalidDataException("outfit model does not match the catalogue");
        return m;
    }

    // Sorted by key so that equal models write equal bytes.
    private static void WriteGroups(BinaryWriter w, Dictionary<int, int[]> groups)
    {
        w.Write(groups.Count);
        foreach (var (g, items) in groups.OrderBy(p => p.Key))
        {
            w.Write(g);
            Binary.WriteArray(w, items);
        }
    }

    private static Dictionary<int, int[]> ReadGroups(BinaryReader r)
    {
        int n = r.ReadInt32();
        var groups = new Dictionary<int, int[]>(n);
        for (int k = 0; k < n; k++) groups[r.ReadInt32()] = Binary.ReadInts(r);
        return groups;
    }

    private float ColourAffinity(int a, int b) => 1f + MathF.Min(2f, _colourAffinity[_catalog.Colour[a] * _colours + _catalog.Colour[b]]) * 0.25f;
}
