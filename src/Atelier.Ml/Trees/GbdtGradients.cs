namespace Atelier.Ml.Trees;

/// <summary>First and second derivatives of each objective with respect to the raw score.</summary>
internal static class GbdtGradients
{
    public static double InitialScore(GbdtObjective objective, float[] labels, float[]? weights)
    {
        if (objective == GbdtObjective.LambdaRank) return 0;
        double sw = 0, sy = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var w = weights?[i] ?? 1f;
            sw += w; sy += w * labels[i];
        }
        var mean = sw > 0 ? sy / sw : 0;
        if (objective == GbdtObjective.Regression) return mean;
        mean = Math.Clamp(mean, 1e-6, 1 - 1e-6);
        return Math.Log(mean / (1 - mean));
    }

    public static void Compute(GbdtObjective objective, float[] labels, double[] scores, float[]? weights,
        int[]? groupStarts, int truncation, float[] grad, float[] hess)
    {
        switch (objective)
        {
            case GbdtObjective.Regression:
                for (var i = 0; i < labels.Length; i++) { grad[i] = (float)(scores[i] - labels[i]); hess[i] = 1f; }
                break;
            case GbdtObjective.BinaryLogLoss:
                for (var i = 0; i < labels.Length; i++)
                {
                    var p = 1 / (1 + Math.Exp(-scores[i]));
                    grad[i] = (float)(p - labels[i]);
                    hess[i] = (float)Math.Max(p * (1 - p), 1e-16);
                }
                break;
            case GbdtObjective.LambdaRank:
                Parallel.For(0, groupStarts!.Length - 1, MlParallel.Options, q =>
                    LambdaRankGroup(labels, scores, groupStarts[q], groupStarts[q + 1] - groupStarts[q], truncation, grad, hess));
                break;
        }
        if (weights is null) return;
        for (var i = 0; i < labels.Length; i++) { grad[i] *= weights[i]; hess[i] *= weights[i]; }
    }

    /// <summary>
    /// LambdaRank gradients for one query (Burges 2010, "From RankNet to LambdaRank to LambdaMART", sigma = 1):
    /// lambda_ij = -rho_ij |ΔNDCG_ij| with rho_ij = 1 / (1 + e^(s_i - s_j)) for label_i &gt; label_j.
    /// </summary>
    internal static void LambdaRankGroup(float[] labels, double[] scores, int start, int n, int truncation, float[] grad, float[] hess)
    {
        for (var i = start; i < start + n; i++) { grad[i] = 0; hess[i] = 0; }
        if (n < 2) return;
        var idx = new int[n];
        for (var i = 0; i < n; i++) idx[i] = start + i;
        Array.Sort(idx, (a, b) => scores[b].CompareTo(scores[a]) is var c && c != 0 ? c : a.CompareTo(b));
        var ideal = new float[n];
        for (var i = 0; i < n; i++) ideal[i] = labels[start + i];
        Array.Sort(ideal, (a, b) => b.CompareTo(a));
        var k = Math.Min(n, truncation);
        double idcg = 0;
        for (var i = 0; i < k; i++) idcg += (Math.Pow(2, ideal[i]) - 1) / Math.Log2(i + 2);
        if (idcg <= 0) return;
        for (var a = 0; a < Math.Min(n, truncation); a++)
        {
            for (var b = a + 1; b < n; b++)
            {
                int i = idx[a], j = idx[b];
                if (labels[i] == labels[j]) continue;
                if (labels[i] < labels[j]) (i, j) = (j, i); // i is the more relevant one
                var gi = Math.Pow(2, labels[i]) - 1; var gj = Math.Pow(2, labels[j]) - 1;
                var delta = Math.Abs((gi - gj) * (1 / Math.Log2(a + 2) - 1 / Math.Log2(b + 2))) / idcg;
                var rho = 1 / (1 + Math.Exp(scores[i] - scores[j]));
                var lambda = rho * delta;
                var h = rho * (1 - rho) * delta;
                grad[i] -= (float)lambda; grad[j] += (float)lambda;
                hess[i] += (float)h; hess[j] += (float)h;
            }
        }
    }
}
