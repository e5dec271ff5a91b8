using Atelier.Ml.Sparse;

namespace Atelier.Ml.Recommenders.Hybrid;

/// <summary>
/// Sum of standardised scores of several rankers fitted on the same rows (score averaging, as in the H&amp;M winners'
/// blends of LightGBM rankers and classifiers): each member's score is centred and scaled by its mean and standard
/// deviation over the training rows, so that members with different score ranges weigh equally.
/// </summary>
public sealed class EnsembleRanker(params IRanker[] members) : IRanker
{
    private readonly float[] _mean = new float[members.Length];
    private readonly float[] _inverseStd = new float[members.Length];

    public string Name => string.Join('+', members.Select(m => m.Name));
    public IReadOnlyList<IRanker> Members => members;

    public void Fit(float[] features, int rows, int cols, float[] labels, int[] groupSizes)
    {
        for (int k = 0; k < members.Length; k++)
        {
            members[k].Fit(features, rows, cols, labels, groupSizes);
            double s = 0, s2 = 0;
            for (int r = 0; r < rows; r++)
            {
                double v = members[k].Score(features.AsSpan(r * cols, cols));
                s += v;
                s2 += v * v;
            }
            double mean = rows > 0 ? s / rows : 0, var = rows > 0 ? Math.Max(0, s2 / rows - mean * mean) : 0;
            _mean[k] = (float)mean;
            _inverseStd[k] = var > 1e-12 ? (float)(1 / Math.Sqrt(var)) : 0f;
        }
    }

    public void Write(BinaryWriter w)
    {
        w.Write(RankerIo.EnsembleTag);
        w.Write(members.Length);
        foreach (var m in members) m.Write(w);
        Binary.WriteArray(w, _mean);
        Binary.WriteArray(w, _inverseStd);
    }

    internal static EnsembleRanker Read(BinaryReader r)
    {
        int n = r.ReadInt32();
        if (n is < 1 or > 64) throw new InvalidDataException("corrupt ensemble ranker");
        var members = new IRanker[n];
        for (int k = 0; k < n; k++) members[k] = RankerIo.Read(r);
        var e = new EnsembleRanker(members);
        var mean = Binary.ReadFloats(r);
        var inverseStd = Binary.ReadFloats(r);
        if (mean.Length != n || inverseStd.Length != n) throw new InvalidDataException("corrupt ensemble ranker");
        mean.CopyTo(e._mean, 0);
        inverseStd.CopyTo(e._inverseStd, 0);
        return e;
    }

    public float Score(ReadOnlySpan<float> row)
    {
        float total = 0;
        for (int k = 0; k < members.Length; k++) total += (members[k].Score(row) - _mean[k]) * _inverseStd[k];
        return total;
    }
}
