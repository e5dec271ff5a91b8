namespace Atelier.Ml.Customers;

/// <summary>Mean raw recency (days), frequency (orders) and monetary value of one cluster, with a plain-language name.</summary>
public sealed record ClusterProfile(int Cluster, int Size, double Share, double MeanRecencyDays, double MeanFrequency,
    double MeanMonetary, string Name);

/// <summary>Names clusters from their standardised centre: value = mean of the F and M z-scores, recent = R z &lt; 0.</summary>
public static class ClusterProfiler
{
    /// <param name="raw">rows×3 raw (recency days, frequency, monetary).</param>
    /// <param name="standardised">rows×3 features the clustering used (higher recency = longer ago).</param>
    public static ClusterProfile[] Profile(double[] raw, float[] standardised, int rows, int[] assign, int k)
    {
        var size = new int[k];
        var rawSum = new double[k * 3]; var zSum = new double[k * 3];
        for (var i = 0; i < rows; i++)
        {
            var c = assign[i]; size[c]++;
            for (var j = 0; j < 3; j++) { rawSum[c * 3 + j] += raw[i * 3 + j]; zSum[c * 3 + j] += standardised[i * 3 + j]; }
        }
        var profiles = new ClusterProfile[k];
        var used = new Dictionary<string, int>();
        for (var c = 0; c < k; c++)
        {
            var n = Math.Max(1, size[c]);
            double rz = zSum[c * 3] / n, value = (zSum[c * 3 + 1] + zSum[c * 3 + 2]) / (2 * n);
            var name = Name(rz, value);
            used[name] = used.TryGetValue(name, out var seen) ? seen + 1 : 1;
            if (used[name] > 1) name += $" ({used[name]})";
            profiles[c] = new ClusterProfile(c, size[c], (double)size[c] / rows, rawSum[c * 3] / n, rawSum[c * 3 + 1] / n,
                rawSum[c * 3 + 2] / n, name);
        }
        return profiles;
    }

    /// <summary>Rule table: value tier (z &gt; 0.5 high, &lt; −0.5 low) × recency (z &lt; 0 recent).</summary>
    public static string Name(double recencyZ, double valueZ)
    {
        var recent = recencyZ < 0;
        return valueZ switch
        {
            > 1.2 when recent => "Top-value regulars",
            > 0.5 when recent => "High-value regulars",
            > 0.5 => "Lapsing big spenders",
            > -0.5 when recent => "Steady occasional buyers",
            > -0.5 => "Fading occasional buyers",
            _ when recent => "Recent newcomers",
            _ => "Lapsed one-timers",
        };
    }
}
