namespace Atelier.Ml.Text;

/// <summary>Penalised negative log-likelihood and its gradient over θ = [W (features·K), b (K)].</summary>
internal sealed class LogisticObjective(SparseRows x, int[] y, float[] sampleWeights, int k, double c)
{
    private readonly int _chunks = Math.Max(1, Math.Min(Environment.ProcessorCount, x.Rows / 2048));
    private double[][]? _partials;

    public double Evaluate(double[] theta, double[] grad)
    {
        var n = theta.Length;
        _partials ??= Enumerable.Range(0, _chunks).Select(_ => new double[n]).ToArray();
        var losses = new double[_chunks];
        Parallel.For(0, _chunks, MlParallel.Options, t =>
        {
            var g = _partials[t];
            Array.Clear(g);
            var start = (int)((long)x.Rows * t / _chunks);
            var end = (int)((long)x.Rows * (t + 1) / _chunks);
            losses[t] = Accumulate(theta, g, start, end);
        });
        var loss = 0.0;
        Array.Clear(grad);
        for (var t = 0; t < _chunks; t++)
        {
            loss += losses[t];
            System.Numerics.Tensors.TensorPrimitives.Add(grad, _partials[t], grad);
        }
        var wLen = n - k;
        var penalty = 0.0;
        for (var i = 0; i < n; i++)
        {
            grad[i] *= c;
            if (i < wLen)
            {
                penalty += theta[i] * theta[i];
                grad[i] += theta[i];
            }
        }
        return c * loss + 0.5 * penalty;
    }

    private double Accumulate(double[] theta, double[] g, int start, int end)
    {
        var wLen = theta.Length - k;
        Span<double> z = stackalloc double[k];
        var loss = 0.0;
        for (var r = start; r < end; r++)
        {
            var idx = x.RowIndices(r);
            var val = x.RowValues(r);
            for (var c2 = 0; c2 < k; c2++) z[c2] = theta[wLen + c2];
            for (var j = 0; j < idx.Length; j++)
            {
                var off = idx[j] * k;
                for (var c2 = 0; c2 < k; c2++) z[c2] += theta[off + c2] * val[j];
            }
            var sw = sampleWeights[r];
            if (k == 1)
            {
                // loss = softplus(z) - y·z; dz = σ(z) - y.
                var zz = z[0];
                var softplus = zz > 0 ? zz + double.LogP1(Math.Exp(-zz)) : double.LogP1(Math.Exp(zz));
                loss += sw * (softplus - (y[r] == 1 ? zz : 0));
                z[0] = sw * (1 / (1 + Math.Exp(-zz)) - (y[r] == 1 ? 1 : 0));
            }
            else
            {
                var max = double.NegativeInfinity;
                for (var c2 = 0; c2 < k; c2++) max = Math.Max(max, z[c2]);
                var sum = 0.0;
                for (var c2 = 0; c2 < k; c2++) sum += Math.Exp(z[c2] - max);
                loss += sw * (max + Math.Log(sum) - z[y[r]]);
                for (var c2 = 0; c2 < k; c2++) z[c2] = sw * (Math.Exp(z[c2] - max) / sum - (c2 == y[r] ? 1 : 0));
            }
            for (var j = 0; j < idx.Length; j++)
            {
                var off = idx[j] * k;
                for (var c2 = 0; c2 < k; c2++) g[off + c2] += z[c2] * val[j];
            }
            for (var c2 = 0; c2 < k; c2++) g[wLen + c2] += z[c2];
        }
        return loss;
    }

    public static void Scores(ReadOnlySpan<int> idx, ReadOnlySpan<float> val, float[] w, float[] b, int k, Span<double> z)
    {
        for (var c = 0; c < k; c++) z[c] = b[c];
        for (var j = 0; j < idx.Length; j++)
        {
            var off = idx[j] * k;
            for (var c = 0; c < k; c++) z[c] += w[off + c] * val[j];
        }
    }

    public static void Softmax(Span<double> z)
    {
        var max = double.NegativeInfinity;
        foreach (var v in z) max = Math.Max(max, v);
        var sum = 0.0;
        for (var i = 0; i < z.Length; i++) sum += z[i] = Math.Exp(z[i] - max);
        for (var i = 0; i < z.Length; i++) z[i] /= sum;
    }
}
