namespace Atelier.Ml.Trees;

/// <summary>
/// Grows one tree leaf-wise (best-gain leaf first) on gradient/hessian histograms. The smaller child's
/// histogram is built from its rows and the larger child's is the parent's minus it.
/// </summary>
internal sealed class TreeGrower
{
    private const double MinHessian = 1e-3;
    private readonly byte[] _bins;
    private readonly int _rows;
    private readonly FeatureBinner _binner;
    private readonly GbdtOptions _options;
    private readonly Stack<Histogram> _pool = new();
    private int[] _scratch = [];

    public TreeGrower(byte[] bins, int rows, FeatureBinner binner, GbdtOptions options)
    {
        _bins = bins; _rows = rows; _binner = binner; _options = options;
    }

    private sealed class Histogram(int slots)
    {
        public readonly double[] G = new double[slots];
        public readonly double[] H = new double[slots];
        public readonly int[] C = new int[slots];
    }

    private sealed class Leaf
    {
        public int Start, Count, Parent = -1;
        public bool IsLeftChild;
        public double SumG, SumH;
        public Histogram? Hist;
        public Split Best;
    }

    internal record struct Split(int Feature, int Bin, bool DefaultLeft, double Gain, double LeftG, double LeftH, int LeftCount);

    /// <summary>Grows a tree over <paramref name="order"/> (row ids, permuted in place); leafOfRow gets each row's leaf.</summary>
    public RegressionTree Grow(int[] order, float[] grad, float[] hess, bool[] featureMask, double[] gainPerFeature, int[] leafOfRow)
    {
        if (_scratch.Length < order.Length) _scratch = new int[order.Length];
        var leaves = new List<Leaf>();
        var root = new Leaf { Start = 0, Count = order.Length, Hist = Rent() };
        BuildHistogram(root.Hist, order, 0, order.Length, grad, hess, featureMask);
        for (var i = 0; i < order.Length; i++) { root.SumG += grad[order[i]]; root.SumH += hess[order[i]]; }
        root.Best = FindBest(root, featureMask);
        leaves.Add(root);

        var feature = new List<int>(); var bin = new List<int>(); var defLeft = new List<bool>();
        var left = new List<int>(); var right = new List<int>();
        while (leaves.Count < _options.MaxLeaves)
        {
            var pick = -1;
            for (var i = 0; i < leaves.Count; i++)
                if (leaves[i].Best.Gain > 0 && (pick < 0 || leaves[i].Best.Gain > leaves[pick].Best.Gain)) pick = i;
            if (pick < 0) break;
            var leaf = leaves[pick];
            var s = leaf.Best;
            var node = feature.Count;
            feature.Add(s.Feature); bin.Add(s.Bin); defLeft.Add(s.DefaultLeft);
            left.Add(~pick); right.Add(~leaves.Count);
            if (leaf.Parent >= 0) (leaf.IsLeftChild ? left : right)[leaf.Parent] = node;
            gainPerFeature[s.Feature] += s.Gain;

            var nLeft = Partition(order, leaf.Start, leaf.Count, s);
            var l = new Leaf { Start = leaf.Start, Count = nLeft, Parent = node, IsLeftChild = true, SumG = s.LeftG, SumH = s.LeftH };
            var r = new Leaf
            {
                Start = leaf.Start + nLeft, Count = leaf.Count - nLeft, Parent = node,
                SumG = leaf.SumG - s.LeftG, SumH = leaf.SumH - s.LeftH,
            };
            var (small, large) = l.Count <= r.Count ? (l, r) : (r, l);
            small.Hist = Rent();
            BuildHistogram(small.Hist, order, small.Start, small.Count, grad, hess, featureMask);
            large.Hist = leaf.Hist!;
            Subtract(large.Hist, small.Hist);
            leaf.Hist = null;
            leaves[pick] = l;
            leaves.Add(r);
            l.Best = leaves.Count < _options.MaxLeaves ? FindBest(l, featureMask) : default;
            r.Best = leaves.Count < _options.MaxLeaves ? FindBest(r, featureMask) : default;
        }

        var tree = new RegressionTree
        {
            Feature = [.. feature], ThresholdBin = [.. bin], DefaultLeft = [.. defLeft], Left = [.. left], Right = [.. right],
            Threshold = new float[feature.Count], LeafValue = new float[leaves.Count],
        };
        for (var i = 0; i < feature.Count; i++)
        {
            var edges = _binner.Edges[feature[i]];
            tree.Threshold[i] = bin[i] < edges.Length ? edges[bin[i]] : float.PositiveInfinity;
        }
        for (var i = 0; i < leaves.Count; i++)
        {
            var lf = leaves[i];
            tree.LeafValue[i] = (float)(-lf.SumG / (lf.SumH + _options.L2) * _options.LearningRate);
            for (var k = lf.Start; k < lf.Start + lf.Count; k++) leafOfRow[order[k]] = i;
            if (lf.Hist is not null) { _pool.Push(lf.Hist); lf.Hist = null; }
        }
        return tree;
    }

    private Histogram Rent()
    {
        if (_pool.TryPop(out var h))
        {
            Array.Clear(h.G); Array.Clear(h.H); Array.Clear(h.C);
            return h;
        }
        return new Histogram(_binner.TotalSlots);
    }

    private void BuildHistogram(Histogram hist, int[] order, int start, int count, float[] grad, float[] hess, bool[] mask)
    {
        var cols = _binner.BinCount.Length;
        void One(int f)
        {
            if (!mask[f]) return;
            var off = _binner.Offset[f];
            var col = _bins.AsSpan((int)((long)f * _rows), _rows);
            var g = hist.G; var h = hist.H; var c = hist.C;
            for (var k = start; k < start + count; k++)
            {
                var row = order[k];
                var b = off + col[row];
                g[b] += grad[row]; h[b] += hess[row]; c[b]++;
            }
        }
        if ((long)count * cols >= 50_000) Parallel.For(0, cols, MlParallel.Options, One);
        else for (var f = 0; f < cols; f++) One(f);
    }

    private static void Subtract(Histogram into, Histogram minus)
    {
        System.Numerics.Tensors.TensorPrimitives.Subtract(into.G, minus.G, into.G);
        System.Numerics.Tensors.TensorPrimitives.Subtract(into.H, minus.H, into.H);
        System.Numerics.Tensors.TensorPrimitives.Subtract(into.C, minus.C, into.C);
    }

    private Split FindBest(Leaf leaf, bool[] mask)
    {
        var best = default(Split);
        if (leaf.Count < 2 * _options.MinDataInLeaf) return best;
        var hist = leaf.Hist!;
        double l2 = _options.L2, G = leaf.SumG, H = leaf.SumH;
        var parentScore = G * G / (H + l2);
        var minData = Math.Max(1, _options.MinDataInLeaf);
        for (var f = 0; f < mask.Length; f++)
        {
            if (!mask[f]) continue;
            var off = _binner.Offset[f];
            var nb = _binner.BinCount[f];
            double mg = hist.G[off + nb], mh = hist.H[off + nb];
            var mc = hist.C[off + nb];
            double cg = 0, ch = 0;
            var cc = 0;
            for (var b = 0; b < nb; b++)
            {
                cg += hist.G[off + b]; ch += hist.H[off + b]; cc += hist.C[off + b];
                if (b == nb - 1 && mc == 0) break; // nothing on the right
                // Missing to the right (also the only option when no value is missing).
                Consider(ref best, f, b, false, cg, ch, cc);
                if (mc > 0 && b < nb - 1) Consider(ref best, f, b, true, cg + mg, ch + mh, cc + mc);
            }
        }
        return best;

        void Consider(ref Split best, int f, int b, bool defLeft, double lg, double lh, int lc)
        {
            var rc = leaf.Count - lc;
            if (lc < minData || rc < minData) return;
            double rg = G - lg, rh = H - lh;
            if (lh < MinHessian || rh < MinHessian) return;
            var gain = lg * lg / (lh + l2) + rg * rg / (rh + l2) - parentScore;
            if (gain > best.Gain + 1e-12) best = new Split(f, b, defLeft, gain, lg, lh, lc);
        }
    }

    private int Partition(int[] order, int start, int count, Split s)
    {
        var col = _bins.AsSpan((int)((long)s.Feature * _rows), _rows);
        var missing = _binner.BinCount[s.Feature];
        int nl = 0, nr = 0;
        for (var k = start; k < start + count; k++)
        {
            var row = order[k];
            int b = col[row];
            var goLeft = b == missing ? s.DefaultLeft : b <= s.Bin;
            if (goLeft) order[start + nl++] = row;
            else _scratch[nr++] = row;
        }
        Array.Copy(_scratch, 0, order, start + nl, nr);
        return nl;
    }
}
