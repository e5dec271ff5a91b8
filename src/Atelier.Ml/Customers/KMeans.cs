using System.Numerics.Tensors;

namespace Atelier.Ml.Customers;

/// <summary>Result of <see cref="KMeans.Fit"/>: centroids (k×d row-major), assignment per row, within-cluster SSE.</summary>
public sealed record KMeansResult(int K, float[] Centroids, int[] Assignments, double Inertia, int Iterations);

/// <summary>
/// k-means with k-means++ seeding (Arthur &amp; Vassilvitskii 2007) and Lloyd iterations; the best of several
/// seeded restarts (lowest inertia) is kept.
/// </summary>
public static class KMeans
{
    public static KMeansResult Fit(float[] data, int rows, int dims, int k, int restarts = 10, int seed = 42, int maxIter = 300)
    {
        if (k < 1 || k > rows) throw new ArgumentOutOfRangeException(nameof(k));
        KMeansResult? best = null;
        for (var r = 0; r < restarts; r++)
        {
            var init = PlusPlusInit(data, rows, dims, k, new Random(seed + 7919 * r));
            var res = Lloyd(data, rows, dims, init, maxIter);
            if (best is null || res.Inertia < best.Inertia) best = res;
        }
        return best!;
    }

    /// <summary>k-means++: each next centre drawn with probability ∝ squared distance to the nearest chosen centre.</summary>
    internal static float[] PlusPlusInit(float[] data, int rows, int dims, int k, Random rng)
    {
        var centres = new float[k * dims];
        var first = rng.Next(rows);
        data.AsSpan(first * dims, dims).CopyTo(centres);
        var d2 = new double[rows];
        for (var i = 0; i < rows; i++) d2[i] = Dist2(data.AsSpan(i * dims, dims), centres.AsSpan(0, dims));
        for (var c = 1; c < k; c++)
        {
            double total = 0;
            for (var i = 0; i < rows; i++) total += d2[i];
            var target = rng.NextDouble() * total;
            var pick = rows - 1;
            double acc = 0;
            for (var i = 0; i < rows; i++) { acc += d2[i]; if (acc >= target && d2[i] > 0) { pick = i; break; } }
            data.AsSpan(pick * dims, dims).CopyTo(centres.AsSpan(c * dims, dims));
            for (var i = 0; i < rows; i++)
                d2[i] = Math.Min(d2[i], Dist2(data.AsSpan(i * dims, dims), centres.AsSpan(c * dims, dims)));
        }
        return centres;
    }

    /// <summary>Lloyd iterations from given centres until assignments stop changing. Empty clusters keep their centre.</summary>
    internal static KMeansResult Lloyd(float[] data, int rows, int dims, float[] initCentres, int maxIter)
    {
        var k = initCentres.Length / dims;
        var centres = (float[])initCentres.Clone();
        var assign = new int[rows];
        Array.Fill(assign, -1);
        var sums = new double[k * dims]; var counts = new int[k];
        var iter = 0;
        for (; iter < maxIter; iter++)
        {
            var changed = 0;
            Parallel.For(0, rows, MlParallel.Options, () => 0, (i, state, local) =>
            {
                var c = Nearest(data.AsSpan(i * dims, dims), centres, k, dims, out _);
                if (c != assign[i]) { assign[i] = c; local++; }
                return local;
            }, local => Interlocked.Add(ref changed, local));
            if (changed == 0) break;
            Array.Clear(sums); Array.Clear(counts);
            for (var i = 0; i < rows; i++)
            {
                var c = assign[i]; counts[c]++;
                for (var j = 0; j < dims; j++) sums[c * dims + j] += data[i * dims + j];
            }
            for (var c = 0; c < k; c++)
                if (counts[c] > 0)
                    for (var j = 0; j < dims; j++) centres[c * dims + j] = (float)(sums[c * dims + j] / counts[c]);
        }
        double inertia = 0;
        for (var i = 0; i < rows; i++) inertia += Dist2(data.AsSpan(i * dims, dims), centres.AsSpan(assign[i] * dims, dims));
        return new KMeansResult(k, centres, assign, inertia, iter);
    }

    public static int Nearest(ReadOnlySpan<float> x, float[] centres, int k, int dims, out double dist2)
    {
        var best = 0; dist2 = double.MaxValue;
        for (var c = 0; c < k; c++)
        {
            var d = Dist2(x, centres.AsSpan(c * dims, dims));
            if (d < dist2) { dist2 = d; best = c; }
        }
        return best;
    }

    internal static double Dist2(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (var j = 0; j < a.Length; j++) { double d = a[j] - b[j]; s += d * d; }
        return s;
    }

    /// <summary>Mean silhouette (Rousseeuw 1987) with Euclidean distance; O(n²·d), rows in parallel.</summary>
    public static double Silhouette(float[] data, int rows, int dims, int[] assign, int k)
    {
        var sizes = new int[k];
        foreach (var a in assign) sizes[a]++;
        var total = 0.0;
        var lockObj = new object();
        Parallel.For(0, rows, MlParallel.Options, () => (Sum: 0.0, Dist: new double[k]), (i, _, local) =>
        {
            Array.Clear(local.Dist);
            var xi = data.AsSpan(i * dims, dims);
            for (var j = 0; j < rows; j++)
            {
                if (j == i) continue;
                local.Dist[assign[j]] += TensorPrimitives.Distance(xi, data.AsSpan(j * dims, dims));
            }
            var own = assign[i];
            if (sizes[own] <= 1) return local; // silhouette 0 for singletons
            var a = local.Dist[own] / (sizes[own] - 1);
            var b = double.MaxValue;
            for (var c = 0; c < k; c++) if (c != own && sizes[c] > 0) b = Math.Min(b, local.Dist[c] / sizes[c]);
            var s = b == double.MaxValue ? 0 : (b - a) / Math.Max(a, b);
            return (local.Sum + s, local.Dist);
        }, local => { lock (lockObj) total += local.Sum; });
        return total / rows;
    }
}
