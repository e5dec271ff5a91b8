namespace Atelier.Ml.Text;

/// <summary>
/// TF-IDF over word 1–2-grams and optional char n-grams. Each n-gram is identified by a 64-bit hash and mapped to a
/// column when it occurs in at least MinDf training documents. tf = 1 + ln(count) (sublinear) or count;
/// idf = ln((1 + N) / (1 + df)) + 1 (smoothed, as in scikit-learn); the word and char blocks are L2-normalised separately.
/// </summary>
public sealed class TfidfVectorizer
{
    private const int FormatVersion = 1;
    private readonly Dictionary<ulong, int> _columns;
    private readonly float[] _idf;
    private readonly int _wordColumns;

    private TfidfVectorizer(TfidfOptions options, Dictionary<ulong, int> columns, float[] idf, int wordColumns)
    {
        Options = options;
        _columns = columns;
        _idf = idf;
        _wordColumns = wordColumns;
    }

    public TfidfOptions Options { get; }
    public int Columns => _idf.Length;
    public int WordColumns => _wordColumns;
    public ReadOnlySpan<float> Idf => _idf;

    /// <summary>Column of an n-gram hash (see NgramHash), for tests and explanations.</summary>
    internal bool TryGetColumn(ulong hash, out int column) => _columns.TryGetValue(hash, out column);

    public static TfidfVectorizer Fit(IReadOnlyList<string> documents, TfidfOptions options)
    {
        var df = new Dictionary<ulong, (int Count, bool IsChar)>();
        var seen = new HashSet<ulong>();
        var tokens = new List<string>();
        foreach (var doc in documents)
        {
            tokens.Clear();
            seen.Clear();
            WordTokenizer.Tokenize(doc, tokens);
            NgramHash.ForEach(tokens, options, (h, isChar) =>
            {
                if (!seen.Add(h)) return;
                df[h] = df.TryGetValue(h, out var e) ? (e.Count + 1, isChar) : (1, isChar);
            });
        }
        var kept = new List<(ulong Hash, int Df, bool IsChar)>();
        foreach (var (h, e) in df)
            if (e.Count >= options.MinDf) kept.Add((h, e.Count, e.IsChar));
        // Word block first, then char block; hash order inside a block keeps the layout deterministic.
        kept.Sort((a, b) => a.IsChar != b.IsChar ? a.IsChar.CompareTo(b.IsChar) : a.Hash.CompareTo(b.Hash));
        var columns = new Dictionary<ulong, int>(kept.Count);
        var idf = new float[kept.Count];
        var wordColumns = 0;
        var n = documents.Count;
        for (var j = 0; j < kept.Count; j++)
        {
            columns[kept[j].Hash] = j;
            idf[j] = (float)(Math.Log((1.0 + n) / (1.0 + kept[j].Df)) + 1.0);
            if (!kept[j].IsChar) wordColumns = j + 1;
        }
        return new TfidfVectorizer(options, columns, idf, wordColumns);
    }

    public SparseRows Transform(IReadOnlyList<string> documents)
    {
        var rowIdx = new int[documents.Count][];
        var rowVal = new float[documents.Count][];
        Parallel.For(0, documents.Count, MlParallel.Options, () => (new Dictionary<int, int>(), new List<string>()), (d, _, scratch) =>
        {
            (rowIdx[d], rowVal[d]) = TransformOne(documents[d], scratch.Item1, scratch.Item2);
            return scratch;
        }, _ => { });
        var ptr = new int[documents.Count + 1];
        for (var d = 0; d < documents.Count; d++) ptr[d + 1] = ptr[d] + rowIdx[d].Length;
        var idx = new int[ptr[^1]];
        var val = new float[ptr[^1]];
        for (var d = 0; d < documents.Count; d++)
        {
            rowIdx[d].CopyTo(idx, ptr[d]);
            rowVal[d].CopyTo(val, ptr[d]);
        }
        return new SparseRows(Columns, ptr, idx, val);
    }

    private (int[], float[]) TransformOne(string doc, Dictionary<int, int> counts, List<string> tokens)
    {
        counts.Clear();
        tokens.Clear();
        WordTokenizer.Tokenize(doc, tokens);
        NgramHash.ForEach(tokens, Options, (h, _) =>
        {
            if (_columns.TryGetValue(h, out var col)) counts[col] = counts.TryGetValue(col, out var c) ? c + 1 : 1;
        });
        var idx = new int[counts.Count];
        var val = new float[counts.Count];
        var k = 0;
        foreach (var col in counts.Keys) idx[k++] = col;
        Array.Sort(idx);
        double wordSq = 0, charSq = 0;
        for (k = 0; k < idx.Length; k++)
        {
            var c = counts[idx[k]];
            var tf = Options.SublinearTf ? 1.0 + Math.Log(c) : c;
            var v = (float)(tf * _idf[idx[k]]);
            val[k] = v;
            if (idx[k] < _wordColumns) wordSq += v * v; else charSq += v * v;
        }
        var wordScale = wordSq > 0 ? (float)(1 / Math.Sqrt(wordSq)) : 0f;
        var charScale = charSq > 0 ? (float)(Options.CharWeight / Math.Sqrt(charSq)) : 0f;
        for (k = 0; k < idx.Length; k++) val[k] *= idx[k] < _wordColumns ? wordScale : charScale;
        return (idx, val);
    }

    public void Save(BinaryWriter w)
    {
        w.Write("TfidfVectorizer");
        w.Write(FormatVersion);
        w.Write(Options.WordNgramMax);
        w.Write(Options.CharNgramMin);
        w.Write(Options.CharNgramMax);
        w.Write(Options.MinDf);
        w.Write(Options.SublinearTf);
        w.Write(Options.CharWeight);
        w.Write(_wordColumns);
        w.Write(_idf.Length);
        var hashes = new ulong[_idf.Length];
        foreach (var (h, col) in _columns) hashes[col] = h;
        for (var j = 0; j < _idf.Length; j++)
        {
            w.Write(hashes[j]);
            w.Write(_idf[j]);
        }
    }

    public static TfidfVectorizer Load(BinaryReader r)
    {
        if (r.ReadString() != "TfidfVectorizer" || r.ReadInt32() != FormatVersion)
            throw new InvalidDataException("not a TfidfVectorizer of a supported version");
        var options = new TfidfOptions
        {
            WordNgramMax = r.ReadInt32(),
            CharNgramMin = r.ReadInt32(),
            CharNgramMax = r.ReadInt32(),
            MinDf = r.ReadInt32(),
            SublinearTf = r.ReadBoolean(),
            CharWeight = r.ReadSingle(),
        };
        var wordColumns = r.ReadInt32();
        var n = r.ReadInt32();
        var columns = new Dictionary<ulong, int>(n);
        var idf = new float[n];
        for (var j = 0; j < n; j++)
        {
            columns[r.ReadUInt64()] = j;
            idf[j] = r.ReadSingle();
        }
        return new TfidfVectorizer(options, columns, idf, wordColumns);
    }
}
