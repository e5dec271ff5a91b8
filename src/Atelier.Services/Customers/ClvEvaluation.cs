using Atelier.Ml.Customers;

namespace Atelier.Services.Customers;

public sealed record ClvBucket(string Frequency, int Customers, double MeanPredicted, double MeanActual);

public sealed record ClvCustomer(int CustomerId, double PAlive, double ExpectedPurchases365, double ExpectedValue, double Clv365,
    DateTime ExpectedNextOrder);

public sealed record ClvReport(DateTime CalibrationEnd, DateTime HoldoutEnd, int Customers, BgNbd BgNbd, GammaGamma GammaGamma,
    double LogLikelihood, IReadOnlyList<ClvBucket> Calibration, double TotalPredicted, double TotalActual,
    double MeanAbsoluteError, double Correlation, IReadOnlyList<ClvCustomer> TopCustomers, double Seconds);

/// <summary>
/// BG/NBD + Gamma–Gamma on UCI Online Retail (days; purchases = distinct purchase days): calibration until 2011-09-09,
/// hold-out purchases until 2011-12-09 compared per calibration-frequency bucket; 365-day CLV from the full history.
/// </summary>
public static class ClvEvaluation
{
    public static readonly DateTime CalibrationEnd = new(2011, 9, 9);
    public static readonly DateTime HoldoutEnd = new(2011, 12, 10);

    public static ClvReport Run(IReadOnlyList<CustomerHistory> histories)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var cal = histories.Where(h => h.Invoices[0].Date < CalibrationEnd).ToList();
        var summaries = cal.Select(h => ClvData.Summary(h, CalibrationEnd)).ToArray();
        var bg = BgNbd.Fit(summaries);
        var horizon = (HoldoutEnd - CalibrationEnd).TotalDays;
        var predicted = summaries.Select(s => bg.ExpectedPurchases(s, horizon)).ToArray();
        var actual = cal.Select(h => (double)h.PurchaseDays(CalibrationEnd, HoldoutEnd).Count).ToArray();
        var buckets = new List<ClvBucket>();
        for (var b = 0; b <= 7; b++)
        {
            var idx = Enumerable.Range(0, cal.Count).Where(i => b < 7 ? summaries[i].X == b : summaries[i].X >= 7).ToList();
            if (idx.Count == 0) continue;
            buckets.Add(new ClvBucket(b < 7 ? b.ToString() : "7+", idx.Count, Math.Round(idx.Average(i => predicted[i]), 3),
                Math.Round(idx.Average(i => actual[i]), 3)));
        }

        // Spend model and CLV on the full history (as of the end of the data).
        var full = histories.Select(h => ClvData.Summary(h, HoldoutEnd)).ToArray();
        var bgFull = BgNbd.Fit(full);
        var spend = histories.Select((h, i) => (full[i].X, ClvData.MeanRepeatValue(h, HoldoutEnd)))
            .Where(t => t.X > 0 && t.Item2 > 0).ToArray();
        var gg = GammaGamma.Fit(spend);
        var customers = histories.Select((h, i) =>
        {
            var s = full[i];
            var e365 = bgFull.ExpectedPurchases(s, 365);
            var value = gg.ExpectedAverageValue(s.X, ClvData.MeanRepeatValue(h, HoldoutEnd));
            return new ClvCustomer(h.CustomerId, Math.Round(bgFull.ProbabilityAlive(s), 4), Math.Round(e365, 3), Math.Round(value, 2),
                Math.Round(e365 * value, 2), HoldoutEnd.Date.AddDays(Math.Round(bgFull.ExpectedDaysToNextPurchase(s))));
        }).OrderByDescending(c => c.Clv365).Take(10).ToList();

        return new ClvReport(CalibrationEnd, HoldoutEnd, cal.Count, Round(bg), gg with { P = Math.Round(gg.P, 4), Q = Math.Round(gg.Q, 4), Gamma = Math.Round(gg.Gamma, 4) },
            Math.Round(bg.TotalLogLikelihood(summaries), 2), buckets, Math.Round(predicted.Sum(), 1), actual.Sum(),
            Math.Round(predicted.Zip(actual).Average(t => Math.Abs(t.First - t.Second)), 4), Math.Round(Pearson(predicted, actual), 4),
            customers, sw.Elapsed.TotalSeconds);
    }

    private static BgNbd Round(BgNbd m) => new(Sig(m.R), Sig(m.Alpha), Sig(m.A), Sig(m.B));

    private static double Sig(double v) => double.Parse(v.ToString("G5", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);

    private static double Pearson(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < a.Length; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb); }
        return sab / Math.Sqrt(saa * sbb);
    }
}
