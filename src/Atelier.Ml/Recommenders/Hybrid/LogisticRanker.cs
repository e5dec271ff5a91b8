using Atelier.Ml.Sparse;

namespace Atelier.Ml.Recommenders.Hybrid;

/// <summary>
/// Fallback ranker: L2-regularised logistic regression on standardised features, full-batch gradient descent
/// with a fixed seed-free schedule (deterministic). Used when no tree ranker is supplied.
/// Missing values (NaN) are imputed with the column mean (0 after standardisation).
/// </summary>
public sealed class LogisticRanker : IRanker
{
    private float[] _mean = [], _scale = [], _w = [];
    private float _bias;

    public string Name => "logistic";

    public void Fit(float[] features, int rows, int cols, float[] labels, int[] groupSizes)
    {
        _mean = new float[cols];
        _scale = new float[cols];
        for (int c = 0; c < cols; c++)
        {
            double s = 0, s2 = 0;
            int present = 0;
            for (int r = 0; r < rows; r++)
            {
                double v = features[r * cols + c];
                if (double.IsNaN(v)) continue;
                s += v;
                s2 += v * v;
                present++;
            }
            double m = present > 0 ? s / present : 0, var = present > 0 ? Math.Max(0, s2 / present - m * m) : 0;
            _mean[c] = (float)m;
            _scale[c] = var > 1e-12 ? (float)(1 / Math.Sqrt(var)) : 0f;
        }
        _w = new float[cols];
        var x = new float[cols];
        double pos = 0;
        for (int r = 0; r < rows; r++) pos += labels[r];
        _bias = (float)Math.Log((pos + 1) / (rows - pos + 1));
        const float lr = 0.5f, l2 = 1e-4f;
        var grad = new double[cols];
        for (int it = 0; it < 150; it++)
        {
            Array.Clear(grad);
            double gb = 0;
            for (int r = 0; r < rows; r++)
            {
                Standardise(features.AsSpan(r * cols, cols), x);
                float z = _bias + System.Numerics.Tensors.TensorPrimitives.Dot(_w, x);
                double err = 1 / (1 + Math.Exp(-z)) - labels[r];
                gb += err;
                for (int c = 0; c < cols; c++) grad[c] += err * x[c];
            }
            for (int c = 0; c < cols; c++) _w[c] -= lr * (float)(grad[c] / rows + l2 * _w[c]);
            _bias -= lr * (float)(gb / rows);
        }
    }

    private void Standardise(ReadOnlySpan<float> row, Span<float> x)
    {
        for (int c = 0; c < row.Length; c++) x[c] = float.IsNaN(row[c]) ? 0f : (row[c] - _mean[c]) * _scale[c];
    }

    public void Write(BinaryWriter w)
    {
        w.Write(RankerIo.LogisticTag);
        Binary.WriteArray(w, _mean);
        Binary.WriteArray(w, _scale);
        Binary.WriteArray(w, _w);
        w.Write(_bias);
    }

    internal static LogisticRanker Read(BinaryReader r)
    {
        var m = new LogisticRanker { _mean = Binary.ReadFloats(r), _scale = Binary.ReadFloats(r), _w = Binary.ReadFloats(r), _bias = r.ReadSingle() };
        if (m._mean.Length != m._w.Length || m._scale.Length != m._w.Length) throw new InvalidDataException("corrupt logistic ranker");
        return m;
    }

    public float Score(ReadOnlySpan<float> row)
    {
        if (_w.Length == 0) return 0f;
        // Features appended after this ranker was trained (a newer feature set) are ignored.
        if (row.Length > _w.Length) row = row[.._w.Length];
        Span<float> x = stackalloc float[row.Length];
        Standardise(row, x);
        return _bias + System.Numerics.Tensors.TensorPrimitives.Dot(_w, x);
    }
}
