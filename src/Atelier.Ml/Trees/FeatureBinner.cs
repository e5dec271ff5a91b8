namespace Atelier.Ml.Trees;

/// <summary>
/// Quantile bin edges per feature and the binned (feature-major, byte) copy of the data.
/// Bin b of feature f holds values v with edges[b-1] &lt; v &lt;= edges[b]; the last ordinary bin is open above;
/// bin <see cref="BinCount"/>[f] holds NaN (missing).
/// </summary>
internal sealed class FeatureBinner
{
    public float[][] Edges { get; }
    /// <summary>Ordinary bins per feature (missing bin index = BinCount[f]).</summary>
    public int[] BinCount { get; }
    /// <summary>Offset of feature f in a flat histogram (each feature has BinCount[f] + 1 slots).</summary>
    public int[] Offset { get; }
    public int TotalSlots { get; }

    private FeatureBinner(float[][] edges)
    {
        Edges = edges;
        BinCount = new int[edges.Length];
        Offset = new int[edges.Length];
        var total = 0;
        for (var f = 0; f < edges.Length; f++)
        {
            BinCount[f] = edges[f].Length + 1;
            Offset[f] = total;
            total += BinCount[f] + 1;
        }
        TotalSlots = total;
    }

    public static FeatureBinner Build(float[] features, int rows, int cols, int maxBins, int seed)
    {
        maxBins = Math.Clamp(maxBins, 2, 255);
        // Edges from at most 200k sampled rows: quantiles are stable long before that.
        const int sampleCap = 200_000;
        int[]? sample = null;
        if (rows > sampleCap)
        {
            var rng = new Random(seed);
            sample = new int[sampleCap];
            for (var i = 0; i < sampleCap; i++) sample[i] = rng.Next(rows);
        }
        var edges = new float[cols][];
        Parallel.For(0, cols, MlParallel.Options, f =>
        {
            var n = sample?.Length ?? rows;
            var values = new float[n];
            var m = 0;
            for (var i = 0; i < n; i++)
            {
                var v = features[(long)(sample?[i] ?? i) * cols + f];
                if (!float.IsNaN(v)) values[m++] = v;
            }
            edges[f] = QuantileEdges(values.AsSpan(0, m), maxBins);
        });
        return new FeatureBinner(edges);
    }

    /// <summary>Edges between distinct values: all midpoints when few, else greedy equal-count cuts.</summary>
    internal static float[] QuantileEdges(Span<float> values, int maxBins)
    {
        if (values.Length == 0) return [];
        values.Sort();
        var distinct = new List<float>();
        var counts = new List<int>();
        for (var i = 0; i < values.Length; i++)
        {
            if (distinct.Count > 0 && values[i] == distinct[^1]) counts[^1]++;
            else { distinct.Add(values[i]); counts.Add(1); }
        }
        var edges = new List<float>(Math.Min(distinct.Count, maxBins));
        if (distinct.Count <= maxBins)
        {
            for (var i = 0; i + 1 < distinct.Count; i++) edges.Add(Midpoint(distinct[i], distinct[i + 1]));
            return [.. edges];
        }
        double perBin = (double)values.Length / maxBins;
        long cum = 0;
        for (var i = 0; i + 1 < distinct.Count && edges.Count < maxBins - 1; i++)
        {
            cum += counts[i];
            if (cum >= perBin * (edges.Count + 1)) edges.Add(Midpoint(distinct[i], distinct[i + 1]));
        }
        return [.. edges];
    }

    private static float Midpoint(float a, float b)
    {
        var m = (float)(((double)a + b) / 2);
        return m >= b ? a : m; // adjacent floats: keep b strictly above the edge
    }

    public int BinOf(int f, float v)
    {
        if (float.IsNaN(v)) return BinCount[f];
        var e = Edges[f];
        int lo = 0, hi = e.Length; // first edge with v <= edge
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (v <= e[mid]) hi = mid; else lo = mid + 1;
        }
        return lo;
    }

    /// <summary>Feature-major bins: bins[f * rows + r].</summary>
    public byte[] BinAll(float[] features, int rows, int cols)
    {
        var bins = new byte[(long)rows * cols];
        Parallel.For(0, cols, MlParallel.Options, f =>
        {
            var off = (long)f * rows;
            for (var r = 0; r < rows; r++) bins[off + r] = (byte)BinOf(f, features[(long)r * cols + f]);
        });
        return bins;
    }
}
