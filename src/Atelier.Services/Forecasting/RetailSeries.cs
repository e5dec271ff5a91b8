using Atelier.Services.Datasets;

namespace Atelier.Services.Forecasting;

/// <summary>
/// Units-sold series from UCI Online Retail (ReadClean rows).
/// Weekly: Saturday–Friday weeks ending on the last data day (Fri 2011-12-09); the partial first week is dropped.
/// Daily: the shop never trades on Saturdays, so the daily index is Sunday–Friday (a 6-day week, seasonal period 6);
/// other closed days (no sale in the whole shop: Christmas break, bank holidays) are kept as dates but their value is
/// imputed with the same weekday a week earlier so the models see a regular pattern (the evaluation window has none).
/// </summary>
public sealed class RetailSeries
{
    private readonly List<Line> _lines;
    public DateOnly FirstDay { get; }
    public DateOnly LastDay { get; }

    private readonly record struct Line(DateOnly Day, string Country, string StockCode, int Quantity, double Price);

    private RetailSeries(List<Line> lines)
    {
        _lines = lines;
        FirstDay = lines.Min(l => l.Day);
        LastDay = lines.Max(l => l.Day);
    }

    public static RetailSeries Load(string? path = null)
    {
        var lines = new List<Line>(400_000);
        foreach (var r in OnlineRetail.ReadClean(path))
            lines.Add(new Line(DateOnly.FromDateTime(r.InvoiceDate), r.Country, r.StockCode, r.Quantity, (double)r.UnitPrice));
        return new RetailSeries(lines);
    }

    public int WeekCount => (LastDay.DayNumber - FirstDay.DayNumber + 1) / 7;

    private int WeekOf(DateOnly d) => WeekCount - 1 - (LastDay.DayNumber - d.DayNumber) / 7;

    private DateOnly[] WeekEnds()
    {
        var ends = new DateOnly[WeekCount];
        for (int w = 0; w < ends.Length; w++) ends[w] = LastDay.AddDays(-7 * (WeekCount - 1 - w));
        return ends;
    }

    public SeriesSet WeeklyTotal() => WeeklyBy("weekly_total", _ => "total", 1);

    public SeriesSet WeeklyByCountry(int top = 10) => WeeklyBy("weekly_country", l => l.Country, top);

    /// <summary>Every stock code's weekly units (the article level); optionally only codes with ≥ minWeeks sales.</summary>
    public SeriesSet WeeklyByArticle(int minWeeksWithSales = 1) => WeeklyBy("weekly_article", l => l.StockCode, int.MaxValue, minWeeksWithSales);

    /// <summary>Weekly units per key for the <paramref name="top"/> keys by total units (ties by name), plus prices.</summary>
    public SeriesSet WeeklyBy(string level, Func<LineView, string> key, int top, int minWeeksWithSales = 1)
    {
        int weeks = WeekCount;
        var units = new Dictionary<string, double[]>();
        var revenue = new Dictionary<string, double[]>();
        foreach (var l in _lines)
        {
            int w = WeekOf(l.Day);
            if (w < 0) continue;
            string k = key(new LineView(l.Country, l.StockCode));
            if (!units.TryGetValue(k, out var u)) { u = new double[weeks]; units[k] = u; revenue[k] = new double[weeks]; }
            u[w] += l.Quantity;
            revenue[k][w] += l.Quantity * l.Price;
        }
        var keys = units.Where(kv => kv.Value.Count(v => v > 0) >= minWeeksWithSales)
            .OrderByDescending(kv => kv.Value.Sum()).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(top).Select(kv => kv.Key).ToArray();
        var prices = keys.Select(k => AveragePrice(units[k], revenue[k])).ToArray();
        return new SeriesSet(level, "weekly", 52, keys, keys.Select(k => units[k]).ToArray(), WeekEnds(), prices);
    }

    /// <summary>Daily (Sunday–Friday) total units; closed days imputed as described on the type.</summary>
    public SeriesSet DailyTotal()
    {
        var days = new List<DateOnly>();
        for (var d = FirstDay; d <= LastDay; d = d.AddDays(1))
            if (d.DayOfWeek != DayOfWeek.Saturday) days.Add(d);
        var index = new Dictionary<DateOnly, int>();
        for (int i = 0; i < days.Count; i++) index[days[i]] = i;
        var y = new double[days.Count];
        foreach (var l in _lines) if (index.TryGetValue(l.Day, out int i)) y[i] += l.Quantity;
        ClosedDays = days.Where((d, i) => y[i] == 0).ToArray();
        for (int i = 0; i < y.Length; i++)
            if (y[i] == 0) y[i] = i >= 6 ? y[i - 6] : FirstNonZero(y);
        return new SeriesSet("daily_total", "daily", 6, ["total"], [y], [.. days]);
    }

    /// <summary>Sunday–Friday dates without any sale (filled by <see cref="DailyTotal"/>).</summary>
    public DateOnly[] ClosedDays { get; private set; } = [];

    private static double FirstNonZero(double[] y)
    {
        foreach (var v in y) if (v > 0) return v;
        return 0;
    }

    private static double[] AveragePrice(double[] units, double[] revenue)
    {
        var p = new double[units.Length];
        double last = 0;
        for (int i = 0; i < p.Length; i++) if (units[i] > 0) { last = revenue[i] / units[i]; break; }
        for (int i = 0; i < p.Length; i++)
        {
            if (units[i] > 0) last = revenue[i] / units[i];
            p[i] = last;
        }
        return p;
    }
}

/// <summary>The fields of a UCI line that a grouping key may use.</summary>
public readonly record struct LineView(string Country, string StockCode);
