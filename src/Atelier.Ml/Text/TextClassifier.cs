namespace Atelier.Ml.Text;

/// <summary>
/// Text classifier: TF-IDF (<see cref="TfidfVectorizer"/>) + optional dense features + L2 logistic regression
/// (multinomial, or NB-scaled one-vs-rest). Per-class score offsets tuned after training shift the decision.
/// </summary>
public sealed class TextClassifier
{
    private const int FormatVersion = 2;
    private readonly TfidfVectorizer _vectorizer;
    private readonly LogisticRegression[] _models;
    private readonly float[][]? _nbRatios;
    private readonly int _fineClasses;
    private int[]? _collapse;

    private TextClassifier(int classes, int denseWidth, float denseScale, TfidfVectorizer vectorizer, LogisticRegression[] models, float[][]? nbRatios, float[] offsets)
    {
        Classes = classes;
        _fineClasses = classes;
        DenseWidth = denseWidth;
        DenseScale = denseScale;
        _vectorizer = vectorizer;
        _models = models;
        _nbRatios = nbRatios;
        Offsets = offsets;
    }

    /// <summary>Output classes (after collapsing fine classes, see <see cref="Collapse"/>).</summary>
    public int Classes { get; private set; }
    public int DenseWidth { get; }
    public float DenseScale { get; }
    /// <summary>Added to the class probabilities before the argmax (decision threshold tuning).</summary>
    public float[] Offsets { get; }
    public int Features => _vectorizer.Columns + DenseWidth;
    /// <summary>L-BFGS iterations of the (first) regression, for logs.</summary>
    public int Iterations => _models[0].Iterations;

    public static TextClassifier Fit(IReadOnlyList<string> docs, int[] labels, int classes, TextClassifierOptions options,
        float[]? dense = null, int denseWidth = 0)
    {
        var vectorizer = TfidfVectorizer.Fit(docs, options.Tfidf);
        var x = Featurize(vectorizer, docs, dense, denseWidth, options.DenseScale);
        var weights = options.BalancedClassWeights ? LogisticRegression.BalancedWeights(labels, classes) : null;
        if (!options.NaiveBayesScaling)
        {
            var model = LogisticRegression.Fit(x, labels, classes, options.Regression with { ClassWeights = weights });
            return new TextClassifier(classes, denseWidth, options.DenseScale, vectorizer, [model], null, new float[classes]);
        }
        var heads = classes == 2 ? 1 : classes;
        var models = new LogisticRegression[heads];
        var ratios = new float[heads][];
        for (var h = 0; h < heads; h++)
        {
            var positive = classes == 2 ? 1 : h;
            var y = new int[labels.Length];
            for (var i = 0; i < y.Length; i++) y[i] = labels[i] == positive ? 1 : 0;
            ratios[h] = LogCountRatios(x, y, options.NaiveBayesAlpha, vectorizer.Columns);
            var w = weights is null ? null : classes == 2 ? weights : LogisticRegression.BalancedWeights(y, 2);
            models[h] = LogisticRegression.Fit(x.ScaleColumns(ratios[h]), y, 2, options.Regression with { ClassWeights = w });
        }
        return new TextClassifier(classes, denseWidth, options.DenseScale, vectorizer, models, ratios, new float[classes]);
    }

    /// <summary>Wang &amp; Manning (2012) log-count ratios; dense columns (index ≥ sparseColumns) keep scale 1.</summary>
    internal static float[] LogCountRatios(SparseRows x, int[] y, float alpha, int sparseColumns)
    {
        var p = new double[x.Columns];
        var q = new double[x.Columns];
        for (var r = 0; r < x.Rows; r++)
        {
            var target = y[r] == 1 ? p : q;
            var idx = x.RowIndices(r);
            var val = x.RowValues(r);
            for (var j = 0; j < idx.Length; j++) target[idx[j]] += val[j];
        }
        double pSum = 0, qSum = 0;
        for (var j = 0; j < sparseColumns; j++)
        {
            pSum += p[j] += alpha;
            qSum += q[j] += alpha;
        }
        var ratios = new float[x.Columns];
        for (var j = 0; j < x.Columns; j++)
            ratios[j] = j < sparseColumns ? (float)Math.Log(p[j] / pSum / (q[j] / qSum)) : 1f;
        return ratios;
    }

    /// <summary>
    /// Makes the classifier output coarse classes: fine class c (e.g. star rating − 1) adds its probability to
    /// output class map[c]. Training on the finer ordinal labels and summing is the "rating-ordinal" trick.
    /// </summary>
    public TextClassifier Collapse(int[] map)
    {
        if (map.Length != _fineClasses) throw new ArgumentException("one output class per fine class is required", nameof(map));
        var classes = map.Max() + 1;
        return new TextClassifier(_fineClasses, DenseWidth, DenseScale, _vectorizer, _models, _nbRatios, new float[classes])
        {
            _collapse = map,
            Classes = classes,
        };
    }

    /// <summary>Class probabilities (rows × Classes, one-vs-rest scores renormalised to sum to 1).</summary>
    public float[] PredictProba(IReadOnlyList<string> docs, float[]? dense = null)
    {
        var fine = PredictFineProba(docs, dense);
        if (_collapse is null) return fine;
        var proba = new float[docs.Count * Classes];
        for (var r = 0; r < docs.Count; r++)
            for (var c = 0; c < _fineClasses; c++) proba[r * Classes + _collapse[c]] += fine[r * _fineClasses + c];
        return proba;
    }

    private float[] PredictFineProba(IReadOnlyList<string> docs, float[]? dense)
    {
        var x = Featurize(_vectorizer, docs, dense, DenseWidth, DenseScale);
        if (_nbRatios is null) return _models[0].PredictProba(x);
        if (_fineClasses == 2) return _models[0].PredictProba(x.ScaleColumns(_nbRatios[0]));
        var proba = new float[docs.Count * _fineClasses];
        for (var h = 0; h < _fineClasses; h++)
        {
            var p = _models[h].PredictProba(x.ScaleColumns(_nbRatios[h]));
            for (var r = 0; r < docs.Count; r++) proba[r * _fineClasses + h] = p[r * 2 + 1];
        }
        for (var r = 0; r < docs.Count; r++)
        {
            var row = proba.AsSpan(r * _fineClasses, _fineClasses);
            var sum = 0f;
            foreach (var v in row) sum += v;
            for (var k = 0; k < _fineClasses; k++) row[k] /= sum;
        }
        return proba;
    }

    public int[] Predict(IReadOnlyList<string> docs, float[]? dense = null) =>
        ClassificationMetrics.ArgMax(PredictProba(docs, dense), Classes, Offsets);

    private static SparseRows Featurize(TfidfVectorizer vectorizer, IReadOnlyList<string> docs, float[]? dense, int width, float scale)
    {
        var x = vectorizer.Transform(docs);
        if (width == 0) return x;
        if (dense is null) throw new ArgumentException("this classifier needs its dense features", nameof(dense));
        var scaled = new float[dense.Length];
        for (var i = 0; i < dense.Length; i++) scaled[i] = dense[i] * scale;
        return x.AppendDense(scaled, width);
    }

    public void Save(Stream stream)
    {
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write("TextClassifier");
        w.Write(FormatVersion);
        w.Write(_fineClasses);
        w.Write(DenseWidth);
        w.Write(DenseScale);
        w.Write(_collapse is not null);
        if (_collapse is not null)
            foreach (var c in _collapse) w.Write(c);
        w.Write(Offsets.Length);
        foreach (var o in Offsets) w.Write(o);
        _vectorizer.Save(w);
        w.Write(_models.Length);
        w.Write(_nbRatios is not null);
        for (var h = 0; h < _models.Length; h++)
        {
            _models[h].Save(w);
            if (_nbRatios is null) continue;
            foreach (var v in _nbRatios[h]) w.Write(v);
        }
    }

    public static TextClassifier Load(Stream stream)
    {
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (r.ReadString() != "TextClassifier" || r.ReadInt32() != FormatVersion)
            throw new InvalidDataException("not a TextClassifier of a supported version");
        var classes = r.ReadInt32();
        var denseWidth = r.ReadInt32();
        var denseScale = r.ReadSingle();
        var collapse = r.ReadBoolean() ? new int[classes] : null;
        if (collapse is not null)
            for (var c = 0; c < classes; c++) collapse[c] = r.ReadInt32();
        var offsets = new float[r.ReadInt32()];
        for (var k = 0; k < offsets.Length; k++) offsets[k] = r.ReadSingle();
        var vectorizer = TfidfVectorizer.Load(r);
        var heads = r.ReadInt32();
        var hasNb = r.ReadBoolean();
        var models = new LogisticRegression[heads];
        var ratios = hasNb ? new float[heads][] : null;
        for (var h = 0; h < heads; h++)
        {
            models[h] = LogisticRegression.Load(r);
            if (ratios is null) continue;
            ratios[h] = new float[models[h].Features];
            for (var j = 0; j < ratios[h].Length; j++) ratios[h][j] = r.ReadSingle();
        }
        var model = new TextClassifier(classes, denseWidth, denseScale, vectorizer, models, ratios, new float[classes]);
        if (collapse is not null) model = model.Collapse(collapse);
        offsets.CopyTo(model.Offsets, 0);
        return model;
    }
}
