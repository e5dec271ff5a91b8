using System.Numerics.Tensors;
using Atelier.Ml.Sparse;

namespace Atelier.Ml.Recommenders;

/// <summary>
/// Content similarity: TF-IDF over word unigrams and bigrams of each item's text (attributes + description),
/// feature-hashed with a sign bit (Weinberger et al. 2009) into <see cref="Dimensions"/> dense dims, L2-normalised;
/// cosine between items, a user's profile is the recency-weighted sum of their items' vectors.
/// Only items present in the fitted matrix (sold before the cutoff) are recommended.
/// </summary>
public sealed class ContentRecommender : RecommenderBase
{
    private float[] _vectors = [];
    private bool[] _active = [];

    public ContentRecommender(IReadOnlyList<string> itemTexts, int dimensions = 256)
    {
        Dimensions = dimensions;
        _vectors = Vectorise(itemTexts, dimensions);
        _active = new bool[itemTexts.Count];
        Array.Fill(_active, true);
    }

    private ContentRecommender(int dimensions) => Dimensions = dimensions;

    public int Dimensions { get; }
    public override string Name => "content";
    public override int ItemCount => _active.Length;
    protected override float MinScore => 1e-6f;

    public ReadOnlySpan<float> Vector(int item) => _vectors.AsSpan(item * Dimensions, Dimensions);

    public static float[] Vectorise(IReadOnlyList<string> texts, int dims)
    {
        var docs = new List<uint>[texts.Count];
        var df = new Dictionary<uint, int>();
        for (int i = 0; i < texts.Count; i++)
        {
            var tokens = Tokenise(texts[i]);
            var terms = new List<uint>(tokens.Count * 2);
            for (int t = 0; t < tokens.Count; t++)
            {
                terms.Add(Hash(tokens[t], 0));
                if (t + 1 < tokens.Count) terms.Add(Hash(tokens[t + 1], Hash(tokens[t], 0x9E3779B9u)));
            }
            docs[i] = terms;
            foreach (uint h in terms.Distinct()) df[h] = df.GetValueOrDefault(h) + 1;
        }
        var v = new float[texts.Count * dims];
        float n = texts.Count;
        for (int i = 0; i < docs.Length; i++)
        {
            var row = v.AsSpan(i * dims, dims);
            foreach (var g in docs[i].GroupBy(h => h))
            {
                float tfidf = (1 + MathF.Log(g.Count())) * MathF.Log((1 + n) / (1 + df[g.Key]));
                row[(int)(g.Key % (uint)dims)] += (g.Key & 0x80000000u) != 0 ? -tfidf : tfidf;
            }
            float norm = TensorPrimitives.Norm(row);
            if (norm > 0) TensorPrimitives.Divide(row, norm, row);
        }
        return v;
    }

    private static List<string> Tokenise(string text)
    {
        var tokens = new List<string>();
        int start = -1;
        for (int k = 0; k <= text.Length; k++)
        {
            bool letter = k < text.Length && char.IsLetterOrDigit(text[k]);
            if (letter && start < 0) start = k;
            else if (!letter && start >= 0)
            {
                if (k - start > 1) tokens.Add(text[start..k].ToLowerInvariant());
                start = -1;
            }
        }
        return tokens;
    }

    /// <summary>FNV-1a over the characters, seeded.</summary>
    private static uint Hash(string s, uint seed)
    {
        uint h = 2166136261u ^ seed;
        foreach (char c in s) h = (h ^ c) * 16777619u;
        return h;
    }

    public override void Fit(CsrMatrix userItems)
    {
        _active = new bool[ItemCount];
        foreach (int i in userItems.Indices) if (i < _active.Length) _active[i] = true;
    }

    protected override void ScoreUser(int user, CsrMatrix userItems, Span<float> scores)
    {
        if (user >= userItems.Rows || userItems.RowLength(user) == 0) return;
        Span<float> profile = stackalloc float[Dimensions];
        profile.Clear();
        var items = userItems.RowIndices(user);
        var vals = userItems.RowValues(user);
        for (int k = 0; k < items.Length; k++) TensorPrimitives.MultiplyAdd(Vector(items[k]), vals[k], profile, profile);
        float norm = TensorPrimitives.Norm(profile);
        if (norm == 0) return;
        for (int i = 0; i < scores.Length; i++)
            scores[i] = _active[i] ? TensorPrimitives.Dot(Vector(i), profile) / norm : 0f;
    }

    public override RecommendationBatch SimilarItems(int item, int n)
    {
        var batch = new RecommendationBatch(1, n);
        var scores = new float[ItemCount];
        var target = Vector(item);
        for (int i = 0; i < scores.Length; i++) scores[i] = _active[i] && i != item ? TensorPrimitives.Dot(Vector(i), target) : float.NegativeInfinity;
        TopK.Select(scores, batch.ItemsOf(0), batch.ScoresOf(0));
        return batch;
    }

    public override void Save(Stream stream)
    {
        using var w = Writer(stream, Name);
        w.Write(Dimensions);
        Binary.WriteArray(w, _vectors);
        Binary.WriteArray(w, _active);
    }

    public static ContentRecommender Load(Stream stream)
    {
        using var r = Reader(stream, "content");
        return new ContentRecommender(r.ReadInt32()) { _vectors = Binary.ReadFloats(r), _active = Binary.ReadArray<bool>(r) };
    }
}
