using Atelier.Ml.Customers;

namespace Atelier.Services.Customers;

/// <summary>Turns histories into the BG/NBD and Gamma–Gamma inputs (time unit: days, purchases = distinct days).</summary>
public static class ClvData
{
    /// <summary>x = repeat purchase days, tx = first → last purchase day, T = first purchase day → cut-off.</summary>
    public static RepeatSummary Summary(CustomerHistory h, DateTime cutoff)
    {
        var days = h.PurchaseDays(DateTime.MinValue, cutoff);
        var first = days[0];
        return new RepeatSummary(days.Count - 1, (days[^1] - first).TotalDays, (cutoff.Date - first).TotalDays);
    }

    /// <summary>Mean value of the repeat purchase days (the first day excluded, as in the Gamma–Gamma literature).</summary>
    public static double MeanRepeatValue(CustomerHistory h, DateTime cutoff)
    {
        var byDay = h.Invoices.Where(v => v.Date < cutoff).GroupBy(v => v.Date.Date).OrderBy(g => g.Key)
            .Select(g => g.Sum(v => v.Amount)).ToList();
        return byDay.Count > 1 ? byDay.Skip(1).Average() : 0;
    }
}
