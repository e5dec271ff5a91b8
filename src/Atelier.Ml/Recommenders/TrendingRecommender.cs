using Atelier.Ml.Sparse;

namespace Atelier.Ml.Recommenders;

/// <summary>
/// Trending: recent weight times its growth against the previous window,
/// score = recent · clamp((recent + 1) / (previous · recentDays/previousDays + 1), 0.5, 4).
/// Items new in the recent window thus rank above items that merely sold steadily.
/// </summary>
public sealed class TrendingRecommender : PopularityRecommender
{
    public override string Name => "trending";

    /// <summary>Recent window only (no growth term): same as popularity on that window.</summary>
    public override void Fit(CsrMatrix recent) => base.Fit(recent);

    public void Fit(CsrMatrix recent, CsrMatrix previous, float recentDays, float previousDays)
    {
        int m = Math.Max(recent.Cols, previous.Cols);
        var r = new float[m];
        var p = new float[m];
        for (int k = 0; k < recent.NonZeros; k++) r[recent.Indices[k]] += recent.Values[k];
        for (int k = 0; k < previous.NonZeros; k++) p[previous.Indices[k]] += previous.Values[k];
        float scale = recentDays / previousDays;
        var s = new float[m];
        for (int i = 0; i < m; i++)
        {
            if (r[i] <= 0) continue;
            float growth = Math.Clamp((r[i] + 1f) / (p[i] * scale + 1f), 0.5f, 4f);
            s[i] = r[i] * growth;
        }
        SetScores(s);
    }
}
