using Atelier.Ml.Customers;

namespace Atelier.Services.Customers;

public sealed record SilhouetteAtK(int K, double Silhouette, double Inertia, double GmmBic);

public sealed record GmmReport(int K, double LogLikelihood, double Bic, int Iterations, IReadOnlyList<ClusterProfile> Profiles);

public sealed record RfmSegmentCount(string Segment, int Customers, double Share, double MeanMonetary);

public sealed record SegmentationReport(DateTime AsOf, int Customers, int K, double Silhouette, IReadOnlyList<SilhouetteAtK> PerK,
    IReadOnlyList<ClusterProfile> Profiles, GmmReport Gmm, IReadOnlyList<RfmSegmentCount> RfmSegments, double Seconds);

/// <summary>
/// Segmentation of UCI Online Retail customers on RFM as of 2011-12-10 (recency days, invoices, spend), log1p then
/// standardised; k-means++ (10 restarts) over k = 2..8 with k chosen by silhouette, a diagonal GMM at that k, RFM groups.
/// </summary>
public static class SegmentationEvaluation
{
    public static readonly DateTime AsOf = new(2011, 12, 10);

    public static SegmentationReport Run(IReadOnlyList<CustomerHistory> histories, int seed = 42)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var n = histories.Count;
        var raw = new double[n * 3];
        for (var i = 0; i < n; i++)
        {
            var inv = histories[i].Invoices;
            raw[i * 3] = (AsOf - inv[^1].Date).TotalDays;
            raw[i * 3 + 1] = inv.Count;
            raw[i * 3 + 2] = inv.Sum(v => v.Amount);
        }
        var z = Standardise(raw, n);
        var perK = new List<SilhouetteAtK>();
        KMeansResult? best = null;
        var bestSil = double.NegativeInfinity;
        for (var k = 2; k <= 8; k++)
        {
            var km = KMeans.Fit(z, n, 3, k, restarts: 10, seed: seed);
            var sil = KMeans.Silhouette(z, n, 3, km.Assignments, k);
            var gmm = GaussianMixture.Fit(z, n, 3, k, seed);
            perK.Add(new SilhouetteAtK(k, Math.Round(sil, 4), Math.Round(km.Inertia, 1), Math.Round(gmm.Bic(n), 1)));
            if (sil > bestSil) { bestSil = sil; best = km; }
        }
        var profiles = ClusterProfiler.Profile(raw, z, n, best!.Assignments, best.K);
        var g = GaussianMixture.Fit(z, n, 3, best.K, seed);
        var gAssign = new int[n];
        for (var i = 0; i < n; i++) gAssign[i] = g.Predict(z.AsSpan(i * 3, 3));
        var gmmReport = new GmmReport(best.K, Math.Round(g.LogLikelihood, 2), Math.Round(g.Bic(n), 1), g.Iterations,
            ClusterProfiler.Profile(raw, z, n, gAssign, best.K));

        var rec = new double[n]; var fre = new double[n]; var mon = new double[n];
        for (var i = 0; i < n; i++) { rec[i] = raw[i * 3]; fre[i] = raw[i * 3 + 1]; mon[i] = raw[i * 3 + 2]; }
        var scores = RfmScoring.Score(rec, fre, mon);
        var rfm = scores.Select((s, i) => (s.Segment, Monetary: mon[i])).GroupBy(t => t.Segment).OrderBy(gr => gr.Key)
            .Select(gr => new RfmSegmentCount(RfmScoring.DisplayName(gr.Key), gr.Count(), Math.Round((double)gr.Count() / n, 4),
                Math.Round(gr.Average(t => t.Monetary), 2)))
            .ToList();
        return new SegmentationReport(AsOf, n, best.K, Math.Round(bestSil, 4), perK, Round(profiles), gmmReport with { Profiles = Round(gmmReport.Profiles) },
            rfm, sw.Elapsed.TotalSeconds);
    }

    private static ClusterProfile[] Round(IEnumerable<ClusterProfile> ps) =>
        [.. ps.Select(p => p with
        {
            Share = Math.Round(p.Share, 4), MeanRecencyDays = Math.Round(p.MeanRecencyDays, 1),
            MeanFrequency = Math.Round(p.MeanFrequency, 2), MeanMonetary = Math.Round(p.MeanMonetary, 2),
        })];

    /// <summary>log1p of each column, then z-scores (population standard deviation, as scikit-learn's StandardScaler).</summary>
    public static float[] Standardise(double[] raw, int rows)
    {
        var z = new float[raw.Length];
        for (var j = 0; j < 3; j++)
        {
            double s = 0, ss = 0;
            for (var i = 0; i < rows; i++) { var v = Math.Log(1 + Math.Max(0, raw[i * 3 + j])); s += v; ss += v * v; }
            var mean = s / rows; var sd = Math.Sqrt(Math.Max(ss / rows - mean * mean, 1e-12));
            for (var i = 0; i < rows; i++) z[i * 3 + j] = (float)((Math.Log(1 + Math.Max(0, raw[i * 3 + j])) - mean) / sd);
        }
        return z;
    }
}
