namespace Atelier.Ml.Text;

/// <summary>
/// L2-regularised logistic regression on sparse rows: binary (sigmoid, one weight vector) for 2 classes, multinomial
/// (softmax) for more. Fitted with <see cref="Lbfgs"/>. Weights are stored feature-major: W[j·K + k].
/// </summary>
public sealed class LogisticRegression
{
    private const int FormatVersion = 1;
    private readonly float[] _w;
    private readonly float[] _b;

    private LogisticRegression(int classes, int features, float[] w, float[] b)
    {
        Classes = classes;
        Features = features;
        _w = w;
        _b = b;
    }

    public int Classes { get; }
    public int Features { get; }
    public int Iterations { get; private init; }
    /// <summary>Columns of weights: 1 for binary, Classes otherwise.</summary>
    private int K => Classes == 2 ? 1 : Classes;
    public ReadOnlySpan<float> Weights => _w;
    public ReadOnlySpan<float> Biases => _b;

    public static float[] BalancedWeights(ReadOnlySpan<int> y, int classes)
    {
        var counts = new int[classes];
        foreach (var label in y) counts[label]++;
        var w = new float[classes];
        for (var k = 0; k < classes; k++) w[k] = counts[k] == 0 ? 0f : (float)y.Length / (classes * counts[k]);
        return w;
    }

    public static LogisticRegression Fit(SparseRows x, int[] y, int classes, LogisticRegressionOptions options)
    {
        if (y.Length != x.Rows) throw new ArgumentException("one label per row is required", nameof(y));
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        var k = classes == 2 ? 1 : classes;
        var sampleWeights = new float[y.Length];
        for (var i = 0; i < y.Length; i++) sampleWeights[i] = options.ClassWeights?[y[i]] ?? 1f;
        var theta = new double[x.Columns * k + k];
        var problem = new LogisticObjective(x, y, sampleWeights, k, options.C);
        var (iterations, _) = Lbfgs.Minimize(theta, problem.Evaluate, options.MaxIterations, options.Tolerance, options.RelativeTolerance);
        var w = new float[x.Columns * k];
        var b = new float[k];
        for (var i = 0; i < w.Length; i++) w[i] = (float)theta[i];
        for (var i = 0; i < k; i++) b[i] = (float)theta[w.Length + i];
        foreach (var v in w)
            if (!float.IsFinite(v)) throw new InvalidOperationException("logistic regression diverged (non-finite weight)");
        return new LogisticRegression(classes, x.Columns, w, b) { Iterations = iterations };
    }

    /// <summary>Class probabilities, row-major rows × Classes.</summary>
    public float[] PredictProba(SparseRows x)
    {
        var proba = new float[x.Rows * Classes];
        var k = K;
        Parallel.For(0, x.Rows, MlParallel.Options, r =>
        {
            Span<double> z = stackalloc double[k];
            LogisticObjective.Scores(x.RowIndices(r), x.RowValues(r), _w, _b, k, z);
            var p = proba.AsSpan(r * Classes, Classes);
            if (k == 1)
            {
                p[1] = (float)(1 / (1 + Math.Exp(-z[0])));
                p[0] = 1 - p[1];
                return;
            }
            LogisticObjective.Softmax(z);
            for (var c = 0; c < k; c++) p[c] = (float)z[c];
        });
        return proba;
    }

    public void Save(BinaryWriter w)
    {
        w.Write("LogisticRegression");
        w.Write(FormatVersion);
        w.Write(Classes);
        w.Write(Features);
        foreach (var v in _w) w.Write(v);
        foreach (var v in _b) w.Write(v);
    }

    public static LogisticRegression Load(BinaryReader r)
    {
        if (r.ReadString() != "LogisticRegression" || r.ReadInt32() != FormatVersion)
            throw new InvalidDataException("not a LogisticRegression of a supported version");
        var classes = r.ReadInt32();
        var features = r.ReadInt32();
        var k = classes == 2 ? 1 : classes;
        var w = new float[features * k];
        var b = new float[k];
        for (var i = 0; i < w.Length; i++) w[i] = r.ReadSingle();
        for (var i = 0; i < k; i++) b[i] = r.ReadSingle();
        return new LogisticRegression(classes, features, w, b);
    }
}
