using Atelier.Ml.Customers;

namespace Atelier.Services.Customers;

/// <summary>
/// Pure computation of customer insights from purchase histories as of a moment: RFM groups, k-means++ segments
/// (k by silhouette), a churn model trained on the store's own past (time split), and BG/NBD + Gamma–Gamma CLV.
/// </summary>
public static class CustomerInsightCalculator
{
    public const int ChurnWindowDays = 90;
    public const int MinChurnRows = 30;
    public const int MinChurnPerClass = 5;
    public const int MinClusterCustomers = 10;
    private const int SilhouetteSample = 4000;

    /// <param name="histories">CustomerHistory.CustomerId is the index into <paramref name="ids"/>; invoices sorted by date.</param>
    public static CustomerInsightResult Compute(IReadOnlyList<CustomerHistory> histories, IReadOnlyList<long> ids, DateTime asOf, int seed = 42)
    {
        var n = histories.Count;
        var raw = new double[n * 3];
        var rec = new double[n]; var fre = new double[n]; var mon = new double[n];
        for (var i = 0; i < n; i++)
        {
            var inv = histories[i].Invoices;
            rec[i] = raw[i * 3] = Math.Max(0, (asOf - inv[^1].Date).TotalDays);
            fre[i] = raw[i * 3 + 1] = inv.Count;
            double m = 0;
            foreach (var v in inv) m += v.Amount;
            mon[i] = raw[i * 3 + 2] = m;
        }
        var scores = n > 0 ? RfmScoring.Score(rec, fre, mon) : [];

        // Segments: k-means++ on log1p + z-scored RFM, k in 2..8 by mean silhouette (on a sample when large).
        int[]? assign = null; ClusterProfile[]? profiles = null; int? bestK = null; double? bestSil = null;
        if (n >= MinClusterCustomers)
        {
            var z = SegmentationEvaluation.Standardise(raw, n);
            var (sample, sampleRows) = Sample(z, n, seed);
            var restarts = n > 50_000 ? 2 : n > 5_000 ? 4 : 10;
            KMeansResult? best = null;
            for (var k = 2; k <= Math.Min(8, n - 1); k++)
            {
                var km = KMeans.Fit(z, n, 3, k, restarts, seed);
                var sil = KMeans.Silhouette(sample, sampleRows.Length, 3, Pick(km.Assignments, sampleRows), k);
                if (double.IsFinite(sil) && (bestSil is null || sil > bestSil)) { bestSil = sil; best = km; }
            }
            if (best is not null)
            {
                assign = best.Assignments; bestK = best.K;
                profiles = ClusterProfiler.Profile(raw, z, n, assign, best.K);
            }
        }

        var (churn, churnInfo) = Churn(histories, asOf);
        var (clv, clvNote, bgModel) = Clv(histories, asOf);

        var rows = new CustomerInsightRow[n];
        for (var i = 0; i < n; i++)
        {
            var s = scores[i];
            var c = clv?[i];
            rows[i] = new CustomerInsightRow(ids[i], Math.Round(rec[i], 3), (int)fre[i], Math.Round((decimal)mon[i], 4), s.R, s.F, s.M,
                RfmScoring.DisplayName(s.Segment), assign?[i], assign is null ? null : profiles![assign[i]].Name, churn?[i],
                c?.PAlive, c?.Expected, c is null ? null : Math.Round((decimal)c.Value.Clv, 4), c?.Next);
        }
        var segments = profiles?.Select(p => new CustomerSegmentRow(p.Cluster, p.Name, p.Size, p.Share, p.MeanRecencyDays,
            p.MeanFrequency, p.MeanMonetary)).ToList() ?? [];
        return new CustomerInsightResult(rows, segments, bestK, bestSil, churnInfo, clv is not null, clvNote, bgModel);
    }

    /// <summary>
    /// Logistic regression on <see cref="ChurnFeatures"/> at cut-off as-of − 90 d, label = no purchase in the last 90 days;
    /// Platt-calibrated on 2-fold out-of-fold scores; then applied to features at as-of (the next 90 days).
    /// </summary>
    private static (float[]? Probabilities, ChurnTrainingInfo Info) Churn(IReadOnlyList<CustomerHistory> histories, DateTime asOf)
    {
        var cutoff = asOf.AddDays(-ChurnWindowDays);
        var eligible = histories.Count(h => h.Invoices[0].Date < cutoff);
        if (eligible < MinChurnRows)
            return (null, new ChurnTrainingInfo(false, $"too little history: {eligible} customers bought before {cutoff:yyyy-MM-dd} (need {MinChurnRows})", eligible, null, null));
        var train = ChurnFeatures.Build(histories, cutoff, asOf);
        var churned = 0;
        foreach (var y in train.Labels) churned += (int)y;
        var rate = (double)churned / train.Rows;
        if (churned < MinChurnPerClass || train.Rows - churned < MinChurnPerClass)
            return (null, new ChurnTrainingInfo(false, $"too little history: {churned} churned and {train.Rows - churned} returning customers (need {MinChurnPerClass} of each)", train.Rows, rate, null));

        // Out-of-fold raw scores (alternate rows) so the calibration is not fitted on in-sample scores.
        var cols = train.Cols;
        var oof = new float[train.Rows];
        for (var fold = 0; fold < 2; fold++)
        {
            var (fx, fy, fr) = Rows(train, r => r % 2 != fold);
            var model = LogisticRegression.Fit(fx, fr, cols, fy, ChurnEvaluation.LogisticL2);
            for (var r = fold; r < train.Rows; r += 2) oof[r] = model.PredictRaw(train.Features.AsSpan(r * cols, cols));
        }
        var platt = PlattScaling.Fit(oof, train.Labels);
        var auc = ClassificationMetrics.Auroc(oof, train.Labels);
        var final = LogisticRegression.Fit(train.Features, train.Rows, cols, train.Labels, ChurnEvaluation.LogisticL2);

        var now = ChurnFeatures.Build(histories, asOf.AddTicks(1), asOf.AddTicks(1));
        var p = new float[histories.Count];
        Array.Fill(p, float.NaN);
        for (var r = 0; r < now.Rows; r++)
            p[now.CustomerIds[r]] = platt.Apply(final.PredictRaw(now.Features.AsSpan(r * cols, cols)));
        var result = p.Select(v => float.IsNaN(v) ? 0.5f : Math.Clamp(v, 0f, 1f)).ToArray();
        return (result, new ChurnTrainingInfo(true, $"logistic regression on {train.Rows} customers, Platt-calibrated", train.Rows,
            Math.Round(rate, 4), Math.Round(auc, 4)));
    }

    private static (float[] X, float[] Y, int Rows) Rows(ChurnDataset d, Func<int, bool> keep)
    {
        var idx = Enumerable.Range(0, d.Rows).Where(keep).ToArray();
        var x = new float[idx.Length * d.Cols]; var y = new float[idx.Length];
        for (var i = 0; i < idx.Length; i++)
        {
            d.Features.AsSpan(idx[i] * d.Cols, d.Cols).CopyTo(x.AsSpan(i * d.Cols));
            y[i] = d.Labels[idx[i]];
        }
        return (x, y, idx.Length);
    }

    private readonly record struct Clv365(float PAlive, float Expected, double Clv, DateOnly Next);

    /// <summary>BG/NBD on (x, tx, T) in days and Gamma–Gamma on repeat-purchase values, both on the full history.</summary>
    private static (Clv365[]? Values, string? Note, BgNbd? Model) Clv(IReadOnlyList<CustomerHistory> histories, DateTime asOf)
    {
        var summaries = histories.Select(h => ClvData.Summary(h, asOf.AddTicks(1))).ToArray();
        var spend = histories.Select((h, i) => (summaries[i].X, ClvData.MeanRepeatValue(h, asOf.AddTicks(1))))
            .Where(t => t.X > 0 && t.Item2 > 0).ToArray();
        if (histories.Count < 10 || spend.Length < 5)
            return (null, $"too little history: {histories.Count} customers, {spend.Length} with repeat purchases (need 10 and 5)", null);
        BgNbd bg; GammaGamma gg;
        try
        {
            bg = BgNbd.Fit(summaries);
            gg = GammaGamma.Fit(spend);
        }
        catch (ArgumentException ex)
        {
            return (null, "CLV models did not fit: " + ex.Message, null);
        }
        var values = new Clv365[histories.Count];
        for (var i = 0; i < histories.Count; i++)
        {
            var s = summaries[i];
            var e365 = bg.ExpectedPurchases(s, 365);
            var avg = gg.ExpectedAverageValue(s.X, ClvData.MeanRepeatValue(histories[i], asOf.AddTicks(1)));
            var clv = e365 * avg;
            var days = bg.ExpectedDaysToNextPurchase(s);
            var next = DateOnly.FromDateTime(asOf.Date.AddDays(Math.Min(3650, Math.Round(double.IsFinite(days) ? days : 3650))));
            values[i] = new Clv365((float)Math.Clamp(bg.ProbabilityAlive(s), 0, 1), (float)Math.Max(0, e365),
                double.IsFinite(clv) ? Math.Max(0, clv) : 0, next);
        }
        return (values, null, bg);
    }

    private static (float[] Data, int[] Rows) Sample(float[] z, int n, int seed)
    {
        if (n <= SilhouetteSample) return (z, Enumerable.Range(0, n).ToArray());
        var rng = new Random(seed);
        var rows = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).Take(SilhouetteSample).Order().ToArray();
        var data = new float[rows.Length * 3];
        for (var i = 0; i < rows.Length; i++) z.AsSpan(rows[i] * 3, 3).CopyTo(data.AsSpan(i * 3));
        return (data, rows);
    }

    private static int[] Pick(int[] a, int[] rows)
    {
        if (rows.Length == a.Length) return a;
        var r = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++) r[i] = a[rows[i]];
        return r;
    }
}
