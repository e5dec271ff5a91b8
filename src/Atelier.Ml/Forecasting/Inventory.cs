namespace Atelier.Ml.Forecasting;

/// <summary>
/// Inventory planning from a forecast distribution (normal approximation, independent period errors unless the
/// forecast's cumulative sigma is used): days of cover, stock-out probability over the lead time, reorder point
/// and order-up-to quantity for a cycle service level (Silver, Pyke &amp; Thomas, ch. 6–7).
/// </summary>
public static class Inventory
{
    /// <summary>Periods until cumulative forecast demand exhausts <paramref name="onHand"/> (fractional; +∞ if never
    /// within the horizon and demand is zero, else extrapolated at the last period's rate).</summary>
    public static double DaysOfCover(double onHand, ReadOnlySpan<double> demandPerPeriod)
    {
        if (onHand <= 0) return 0;
        double left = onHand;
        for (int i = 0; i < demandPerPeriod.Length; i++)
        {
            double d = Math.Max(0, demandPerPeriod[i]);
            if (d >= left) return i + left / d;
            left -= d;
        }
        double last = demandPerPeriod.Length > 0 ? Math.Max(0, demandPerPeriod[^1]) : 0;
        return last > 0 ? demandPerPeriod.Length + left / last : double.PositiveInfinity;
    }

    /// <summary>Mean and sd of demand over a (fractional) lead time of <paramref name="periods"/> periods.</summary>
    public static (double Mean, double Sd) LeadTimeDemand(ReadOnlySpan<double> mean, ReadOnlySpan<double> sd, double periods)
    {
        double mu = 0, var = 0;
        for (int i = 0; i < mean.Length && i < periods; i++)
        {
            double w = Math.Min(1, periods - i);
            mu += w * Math.Max(0, mean[i]);
            var += w * sd[i] * sd[i];
        }
        if (periods > mean.Length && mean.Length > 0)
        {
            double extra = periods - mean.Length;
            mu += extra * Math.Max(0, mean[^1]);
            var += extra * sd[^1] * sd[^1];
        }
        return (mu, Math.Sqrt(var));
    }

    /// <summary>P(lead-time demand &gt; on hand + on order).</summary>
    public static double StockoutProbability(double inventoryPosition, double demandMean, double demandSd)
    {
        if (demandSd <= 0) return demandMean > inventoryPosition ? 1 : 0;
        return 1 - Normal.Cdf((inventoryPosition - demandMean) / demandSd);
    }

    /// <summary>Reorder point μ_L + z_α σ_L for cycle service level α (safety stock = z_α σ_L).</summary>
    public static double ReorderPoint(double demandMean, double demandSd, double serviceLevel) =>
        demandMean + Normal.Quantile(serviceLevel) * demandSd;

    /// <summary>
    /// Order-up-to policy with review period R: order max(0, S - position) where S covers lead time + review period
    /// at the service level.
    /// </summary>
    public static double OrderQuantity(ReadOnlySpan<double> mean, ReadOnlySpan<double> sd, double leadTime,
        double reviewPeriod, double inventoryPosition, double serviceLevel)
    {
        var (mu, s) = LeadTimeDemand(mean, sd, leadTime + reviewPeriod);
        double target = ReorderPoint(mu, s, serviceLevel);
        return Math.Max(0, target - inventoryPosition);
    }
}
