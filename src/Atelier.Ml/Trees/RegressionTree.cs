namespace Atelier.Ml.Trees;

/// <summary>
/// One boosted tree in flat arrays. Internal node i sends a row left when x[feature] &lt;= threshold
/// (NaN goes left iff DefaultLeft). Children &gt;= 0 are nodes, negative children are ~leafIndex.
/// Leaf values already include the learning rate.
/// </summary>
internal sealed class RegressionTree
{
    public int[] Feature = [];
    public float[] Threshold = [];
    public int[] ThresholdBin = [];
    public bool[] DefaultLeft = [];
    public int[] Left = [];
    public int[] Right = [];
    public float[] LeafValue = [0f];

    public int NodeCount => Feature.Length;

    public float Predict(ReadOnlySpan<float> row)
    {
        if (Feature.Length == 0) return LeafValue[0];
        var node = 0;
        while (true)
        {
            var v = row[Feature[node]];
            var left = float.IsNaN(v) ? DefaultLeft[node] : v <= Threshold[node];
            node = left ? Left[node] : Right[node];
            if (node < 0) return LeafValue[~node];
        }
    }

    /// <summary>Leaf index of a training row from its bins (feature-major layout).</summary>
    public int LeafOfBinned(byte[] bins, int rows, int row, int[] missingBin)
    {
        if (Feature.Length == 0) return 0;
        var node = 0;
        while (true)
        {
            var f = Feature[node];
            int b = bins[(long)f * rows + row];
            var left = b == missingBin[f] ? DefaultLeft[node] : b <= ThresholdBin[node];
            node = left ? Left[node] : Right[node];
            if (node < 0) return ~node;
        }
    }

    public void Write(BinaryWriter w)
    {
        w.Write(Feature.Length);
        for (var i = 0; i < Feature.Length; i++)
        {
            w.Write(Feature[i]); w.Write(Threshold[i]); w.Write(DefaultLeft[i]); w.Write(Left[i]); w.Write(Right[i]);
        }
        w.Write(LeafValue.Length);
        foreach (var v in LeafValue) w.Write(v);
    }

    public static RegressionTree Read(BinaryReader r, int featureCount)
    {
        var n = r.ReadInt32();
        if (n < 0 || n > 1 << 24) throw new InvalidDataException("corrupt GBDT tree");
        var t = new RegressionTree
        {
            Feature = new int[n], Threshold = new float[n], ThresholdBin = new int[n], DefaultLeft = new bool[n],
            Left = new int[n], Right = new int[n],
        };
        for (var i = 0; i < n; i++)
        {
            t.Feature[i] = r.ReadInt32(); t.Threshold[i] = r.ReadSingle(); t.DefaultLeft[i] = r.ReadBoolean();
            t.Left[i] = r.ReadInt32(); t.Right[i] = r.ReadInt32();
            if ((uint)t.Feature[i] >= (uint)featureCount) throw new InvalidDataException("corrupt GBDT tree feature");
        }
        var leaves = r.ReadInt32();
        if (leaves != n + 1) throw new InvalidDataException("corrupt GBDT tree leaves");
        t.LeafValue = new float[leaves];
        for (var i = 0; i < leaves; i++) t.LeafValue[i] = r.ReadSingle();
        for (var i = 0; i < n; i++)
        {
            if (t.Left[i] >= n || t.Right[i] >= n || ~t.Left[i] >= leaves || ~t.Right[i] >= leaves)
                throw new InvalidDataException("corrupt GBDT tree child");
        }
        return t;
    }
}
