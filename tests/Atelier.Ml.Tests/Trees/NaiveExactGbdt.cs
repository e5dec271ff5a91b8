namespace Atelier.Ml.Tests.Trees;

/// <summary>
/// Reference: squared-error boosting with exact splits (every midpoint between sorted distinct values), grown
/// leaf-wise by brute force with the same gain, tie and leaf-numbering rules. No histograms, no missing values.
/// </summary>
internal sealed class NaiveExactGbdt
{

    public static NaiveExactGbdt Fit(float[][] x, float[] y, int trees, double lr, int maxLeaves, int minData, double l2)
    {
        var m = new NaiveExactGbdt();
        var n = y.Length;
        var init = y.Average(v => (double)v);
        var score = Enumerable.Repeat(init, n).ToArray();
        for (var t = 0; t < trees; t++)
        {
            var g = Enumerable.Range(0, n).Select(i => score[i] - y[i]).ToArray();
            var leaves = new List<List<int>> { Enumerable.Range(0, n).ToList() };
            var best = new List<(double Gain, int F, float Thr)> { BestSplit(x, g, leaves[0], minData, l2) };
            while (leaves.Count < maxLeaves)
            {
                var pick = -1;
                for (var i = 0; i < leaves.Count; i++)
                    if (best[i].Gain > 0 && (pick < 0 || best[i].Gain > best[pick].Gain)) pick = i;
                if (pick < 0) break;
                var (_, f, thr) = best[pick];
                var rows = leaves[pick];
                leaves[pick] = rows.Where(r => x[r][f] <= thr).ToList();
                leaves.Add(rows.Where(r => x[r][f] > thr).ToList());
                var full = leaves.Count >= maxLeaves;
                best[pick] = full ? default : BestSplit(x, g, leaves[pick], minData, l2);
                best.Add(full ? default : BestSplit(x, g, leaves[^1], minData, l2));
            }
            var values = leaves.Select(rows => -rows.Sum(r => g[r]) / (rows.Count + l2) * lr).ToArray();
            var leafOf = new int[n];
            for (var i = 0; i < leaves.Count; i++) foreach (var r in leaves[i]) leafOf[r] = i;
            for (var r = 0; r < n; r++) score[r] += (float)values[leafOf[r]];
        }
        m.TrainingScores = score;
        return m;
    }

    /// <summary>Scores of the training rows after all trees (the reference is only compared on them).</summary>
    public double[] TrainingScores { get; private set; } = [];

    private static (double Gain, int F, float Thr) BestSplit(float[][] x, double[] g, List<int> rows, int minData, double l2)
    {
        var best = (Gain: 0.0, F: -1, Thr: 0f);
        if (rows.Count < 2 * minData) return best;
        double G = rows.Sum(r => g[r]), H = rows.Count;
        for (var f = 0; f < x[0].Length; f++)
        {
            var sorted = rows.OrderBy(r => x[r][f]).ToList();
            double lg = 0;
            for (var k = 0; k + 1 < sorted.Count; k++)
            {
                lg += g[sorted[k]];
                float a = x[sorted[k]][f], b = x[sorted[k + 1]][f];
                if (a == b) continue;
                int lc = k + 1, rc = sorted.Count - lc;
                if (lc < minData || rc < minData) continue;
                var gain = lg * lg / (lc + l2) + (G - lg) * (G - lg) / (rc + l2) - G * G / (H + l2);
                if (gain > best.Gain + 1e-12) best = (gain, f, (float)(((double)a + b) / 2));
            }
        }
        return best;
    }
}
