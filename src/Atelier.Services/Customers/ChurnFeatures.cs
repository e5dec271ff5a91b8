using Atelier.Ml.Customers;

namespace Atelier.Services.Customers;

/// <summary>Churn design matrix: features from before the cut-off, label 1 = no purchase in [cutoff, end).</summary>
public sealed record ChurnDataset(float[] Features, float[] Labels, int Rows, int[] CustomerIds, string[] FeatureNames)
{
    public int Cols => FeatureNames.Length;
}

/// <summary>Builds <see cref="ChurnDataset"/> for every customer with a purchase before the cut-off.</summary>
public static class ChurnFeatures
{
    public static readonly string[] Names =
    [
        "recency_days", "log_invoices", "log_purchase_days", "log_monetary", "log_mean_invoice_value", "tenure_days",
        "ipt_mean_days", "ipt_std_days", "invoices_last_30d", "invoices_last_90d", "log_spend_last_90d", "invoices_last_180d",
        "log_distinct_products", "cancellation_share", "uk", "spend_trend_90d", "log_units_per_invoice", "lines_per_invoice",
        "recency_over_ipt", "bgnbd_p_alive", "bgnbd_expected_90d", "log_recency_days", "invoices_same_season_last_year",
        "log_spend_same_season_last_year", "purchase_days_last_90d", "active_months_last_6",
        "bgnbd_p_no_purchase_91d", "christmas_line_share", "bought_nov_dec_last_year",
    ];

    public static ChurnDataset Build(IReadOnlyList<CustomerHistory> histories, DateTime cutoff, DateTime end)
    {
        var eligible = histories.Where(h => h.Invoices[0].Date < cutoff).ToList();
        // BG/NBD fitted on the same pre-cut-off histories (unsupervised: no label information).
        var summaries = eligible.Select(h => ClvData.Summary(h, cutoff)).ToArray();
        var bg = BgNbd.Fit(summaries);
        var cols = Names.Length;
        var x = new float[eligible.Count * cols];
        var y = new float[eligible.Count];
        var ids = new int[eligible.Count];
        for (var i = 0; i < eligible.Count; i++)
        {
            var h = eligible[i];
            ids[i] = h.CustomerId;
            y[i] = h.Invoices.Any(v => v.Date >= cutoff && v.Date < end) ? 0 : 1;
            Fill(h, cutoff, summaries[i], bg, x.AsSpan(i * cols, cols));
        }
        return new ChurnDataset(x, y, eligible.Count, ids, Names);
    }

    private static DateTime End(DateTime cutoff) => cutoff.AddDays(91);

    private static void Fill(CustomerHistory h, DateTime cutoff, RepeatSummary s, BgNbd bg, Span<float> f)
    {
        var inv = h.Invoices.Where(v => v.Date < cutoff).ToList();
        var days = inv.Select(v => v.Date.Date).Distinct().ToList();
        double Days(DateTime d) => (cutoff - d).TotalDays;
        var monetary = inv.Sum(v => v.Amount);
        double SpendBetween(double fromDaysAgo, double toDaysAgo) =>
            inv.Where(v => Days(v.Date) <= fromDaysAgo && Days(v.Date) > toDaysAgo).Sum(v => v.Amount);
        int CountWithin(double daysAgo) => inv.Count(v => Days(v.Date) <= daysAgo);
        var gaps = new List<double>();
        for (var k = 1; k < days.Count; k++) gaps.Add((days[k] - days[k - 1]).TotalDays);
        var iptMean = gaps.Count > 0 ? gaps.Average() : double.NaN;
        var iptStd = gaps.Count > 1 ? Math.Sqrt(gaps.Sum(g => (g - iptMean) * (g - iptMean)) / (gaps.Count - 1)) : double.NaN;
        var recency = Days(inv[^1].Date);
        var cleanLines = h.Lines.Count(l => l.Date < cutoff);
        var cancelLines = h.Cancellations.Count(d => d < cutoff);
        var spend90 = SpendBetween(90, 0);
        var spendPrev90 = SpendBetween(180, 90);

        f[0] = (float)recency;
        f[1] = (float)Math.Log(inv.Count);
        f[2] = (float)Math.Log(days.Count);
        f[3] = (float)Math.Log(1 + Math.Max(0, monetary));
        f[4] = (float)Math.Log(1 + Math.Max(0, monetary / inv.Count));
        f[5] = (float)Days(inv[0].Date);
        f[6] = (float)iptMean;
        f[7] = (float)iptStd;
        f[8] = CountWithin(30);
        f[9] = CountWithin(90);
        f[10] = (float)Math.Log(1 + Math.Max(0, spend90));
        f[11] = CountWithin(180);
        f[12] = (float)Math.Log(1 + h.Lines.Where(l => l.Date < cutoff).Select(l => l.StockCode).Distinct().Count());
        f[13] = (float)cancelLines / Math.Max(1, cleanLines + cancelLines);
        f[14] = h.Country == "United Kingdom" ? 1 : 0;
        f[15] = (float)(Math.Log(1 + Math.Max(0, spend90)) - Math.Log(1 + Math.Max(0, spendPrev90)));
        f[16] = (float)Math.Log(1 + inv.Average(v => (double)v.Units));
        f[17] = (float)inv.Average(v => (double)v.Lines);
        f[18] = (float)(double.IsNaN(iptMean) ? double.NaN : recency / Math.Max(1, iptMean));
        f[19] = (float)bg.ProbabilityAlive(s);
        f[20] = (float)bg.ExpectedPurchases(s, 90);
        f[21] = (float)Math.Log(1 + recency);
        // The hold-out window (Sep–Dec) is the pre-Christmas peak: buying in that season a year earlier predicts return.
        var horizon = 365.0 - (End(cutoff) - cutoff).TotalDays;
        var season = inv.Where(v => Days(v.Date) <= 365 && Days(v.Date) > horizon).ToList();
        f[22] = season.Count;
        f[23] = (float)Math.Log(1 + Math.Max(0, season.Sum(v => v.Amount)));
        f[24] = days.Count(d => Days(d) <= 90);
        f[26] = (float)bg.ProbabilityNoPurchase(s, 91);
        f[27] = (float)h.Lines.Count(l => l.Date < cutoff && l.Seasonal) / Math.Max(1, cleanLines);
        f[28] = inv.Any(v => v.Date.Month >= 11 && v.Date < cutoff.AddDays(-300)) ? 1 : 0;
        f[25] = inv.Where(v => Days(v.Date) <= 180).Select(v => (v.Date.Year, v.Date.Month)).Distinct().Count();
    }
}
