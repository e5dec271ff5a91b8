using Atelier.Ml.Sparse;

namespace Atelier.Ml.Recommenders;

public enum ItemSimilarity { Cosine, Bm25 }

/// <summary>
/// Item-item collaborative filtering: co-occurrence similarity (cosine, or BM25-weighted as in Robertson's Okapi
/// term weighting applied to item→user rows), top-k neighbours per item; score(u, j) = Σ_{i∈u} r_ui · S[i, j].
/// </summary>
public sealed class ItemKnnRecommender : RecommenderBase
{
    private CsrMatrix _neighbours = new(0, 0, [0], [], []);

    public ItemKnnRecommender(ItemSimilarity similarity = ItemSimilarity.Cosine, int k = 100, float k1 = 1.2f, float b = 0.75f)
    {
        Similarity = similarity;
        K = k;
        K1 = k1;
        B = b;
    }

    public ItemSimilarity Similarity { get; }
    public int K { get; }
    public float K1 { get; }
    public float B { get; }
    public override string Name => "item_knn";
    public override int ItemCount => _neighbours.Rows;

    /// <summary>Item × item matrix of the kept neighbour similarities.</summary>
    public CsrMatrix Neighbours => _neighbours;

    public override void Fit(CsrMatrix userItems)
    {
        var itemUsers = userItems.Transpose();
        int nItems = userItems.Cols;
        var left = Similarity == ItemSimilarity.Bm25 ? Bm25Weight(itemUsers, K1, B) : itemUsers;
        var right = Similarity == ItemSimilarity.Bm25 ? userItems.MapValues(_ => 1f) : userItems;
        var norms = new float[nItems];
        if (Similarity == ItemSimilarity.Cosine)
            for (int i = 0; i < nItems; i++)
                norms[i] = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(itemUsers.RowValues(i)));

        var rowIdx = new int[nItems][];
        var rowVal = new float[nItems][];
        Parallel.For(0, nItems, MlParallel.Options, () => (acc: new float[nItems], touched: new List<int>(), seen: new bool[nItems]), (i, _, st) =>
        {
            var (acc, touched, seen) = st;
            var users = left.RowIndices(i);
            var weights = left.RowValues(i);
            for (int k = 0; k < users.Length; k++)
            {
                var items = right.RowIndices(users[k]);
                var vals = right.RowValues(users[k]);
                float a = weights[k];
                for (int t = 0; t < items.Length; t++)
                {
                    int j = items[t];
                    if (j == i) continue;
                    if (!seen[j])
                    {
                        seen[j] = true;
                        touched.Add(j);
                    }
                    acc[j] += a * vals[t];
                }
            }
            var cand = touched.ToArray();
            var sc = new float[cand.Length];
            for (int t = 0; t < cand.Length; t++)
            {
                int j = cand[t];
                float s = acc[j];
                if (Similarity == ItemSimilarity.Cosine) s = norms[i] > 0 && norms[j] > 0 ? s / (norms[i] * norms[j]) : 0f;
                sc[t] = s;
                acc[j] = 0f;
                seen[j] = false;
            }
            touched.Clear();
            int keep = Math.Min(K, cand.Length);
            var outIdx = new int[keep];
            var outVal = new float[keep];
            keep = TopK.SelectFrom(cand, sc, outIdx, outVal);
            // Store sorted by column index for CSR.
            Array.Sort(outIdx, outVal, 0, keep);
            rowIdx[i] = outIdx[..keep];
            rowVal[i] = outVal[..keep];
            return st;
        }, _ => { });

        var indptr = new int[nItems + 1];
        for (int i = 0; i < nItems; i++) indptr[i + 1] = indptr[i] + rowIdx[i].Length;
        var idx = new int[indptr[nItems]];
        var val = new float[indptr[nItems]];
        for (int i = 0; i < nItems; i++)
        {
            rowIdx[i].CopyTo(idx, indptr[i]);
            rowVal[i].CopyTo(val, indptr[i]);
        }
        _neighbours = new CsrMatrix(nItems, nItems, indptr, idx, val);
    }

    /// <summary>BM25 weighting of item→user rows (idf over users, length normalisation over items' user counts).</summary>
    public static CsrMatrix Bm25Weight(CsrMatrix itemUsers, float k1, float b)
    {
        int n = itemUsers.Rows;
        var df = new int[itemUsers.Cols];
        foreach (int u in itemUsers.Indices) df[u]++;
        var idf = new float[itemUsers.Cols];
        for (int u = 0; u < idf.Length; u++) idf[u] = MathF.Max(0f, MathF.Log(n) - MathF.Log(1 + df[u]));
        float avgLen = 0;
        for (int i = 0; i < n; i++) avgLen += itemUsers.RowLength(i);
        avgLen = Math.Max(1f, avgLen / Math.Max(1, n));
        var values = new float[itemUsers.NonZeros];
        for (int i = 0; i < n; i++)
        {
            float lengthNorm = (1 - b) + b * itemUsers.RowLength(i) / avgLen;
            for (int k = itemUsers.IndPtr[i]; k < itemUsers.IndPtr[i + 1]; k++)
            {
                float x = itemUsers.Values[k];
                values[k] = x * (k1 + 1) / (k1 * lengthNorm + x) * idf[itemUsers.Indices[k]];
            }
        }
        return new CsrMatrix(itemUsers.Rows, itemUsers.Cols, itemUsers.IndPtr, itemUsers.Indices, values);
    }

    protected override void ScoreUser(int user, CsrMatrix userItems, Span<float> scores)
    {
        if (user >= userItems.Rows) return;
        var items = userItems.RowIndices(user);
        var vals = userItems.RowValues(user);
        for (int k = 0; k < items.Length; k++)
        {
            int i = items[k];
            if (i >= _neighbours.Rows) continue;
            var nb = _neighbours.RowIndices(i);
            var s = _neighbours.RowValues(i);
            for (int t = 0; t < nb.Length; t++) scores[nb[t]] += vals[k] * s[t];
        }
    }

    /// <summary>score(u, j) for one item j (binary search in each neighbour row of the user's items).</summary>
    public float ScoreItem(int user, CsrMatrix userItems, int item)
    {
        if (user >= userItems.Rows) return 0f;
        var items = userItems.RowIndices(user);
        var vals = userItems.RowValues(user);
        float s = 0;
        for (int k = 0; k < items.Length; k++)
        {
            int i = items[k];
            if (i >= _neighbours.Rows) continue;
            int pos = _neighbours.RowIndices(i).BinarySearch(item);
            if (pos >= 0) s += vals[k] * _neighbours.RowValues(i)[pos];
        }
        return s;
    }

    /// <summary>The user's item contributing most to score(u, j): the "because you bought …" of a recommendation.</summary>
    public int StrongestSource(int user, CsrMatrix userItems, int item)
    {
        if (user >= userItems.Rows) return -1;
        var items = userItems.RowIndices(user);
        var vals = userItems.RowValues(user);
        int best = -1;
        float bestScore = 0;
        for (int k = 0; k < items.Length; k++)
        {
            int i = items[k];
            if (i >= _neighbours.Rows) continue;
            int pos = _neighbours.RowIndices(i).BinarySearch(item);
            if (pos < 0) continue;
            float s = vals[k] * _neighbours.RowValues(i)[pos];
            if (s > bestScore) (best, bestScore) = (i, s);
        }
        return best;
    }

    public override RecommendationBatch SimilarItems(int item, int n)
    {
        var batch = new RecommendationBatch(1, n);
        if (item < _neighbours.Rows)
            TopK.SelectFrom(_neighbours.RowIndices(item), _neighbours.RowValues(item), batch.ItemsOf(0), batch.ScoresOf(0));
        return batch;
    }

    public override void Save(Stream stream)
    {
        using var w = Writer(stream, Name);
        w.Write((int)Similarity);
        w.Write(K);
        w.Write(K1);
        w.Write(B);
        _neighbours.Write(w);
    }

    public static ItemKnnRecommender Load(Stream stream)
    {
        using var r = Reader(stream, "item_knn");
        var m = new ItemKnnRecommender((ItemSimilarity)r.ReadInt32(), r.ReadInt32(), r.ReadSingle(), r.ReadSingle());
        m._neighbours = CsrMatrix.Read(r);
        return m;
    }
}
