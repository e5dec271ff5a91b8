using Atelier.Services.Datasets;

namespace Atelier.Services.Forecasting;

/// <summary>
/// Weekly H&amp;M sales (transaction rows = units) by article attribute, from the 0.1%-customer sample plus the
/// complete last week. The complete week is down-weighted by (sample rows in that week / all rows in that week) so
/// the last week is on the sample's scale. Weeks are Wednesday–Tuesday, ending on the last data day 2020-09-22.
/// </summary>
public sealed class HmSeries
{
    public required DateOnly[] WeekEnds { get; init; }
    public required double LastWeekWeight { get; init; }
    /// <summary>kind (product_type, colour, graphical_appearance, department) → group name → weekly units.</summary>
    public required Dictionary<string, Dictionary<string, double[]>> Groups { get; init; }
    /// <summary>Same keys: weekly units of articles whose first sale was at most 8 weeks earlier.</summary>
    public required Dictionary<string, Dictionary<string, double[]>> NewArticleUnits { get; init; }
    public required double[] Total { get; init; }

    public static readonly string[] Kinds = ["product_type", "colour", "graphical_appearance", "department"];

    public static HmSeries Load()
    {
        var articles = HmData.ReadArticles().ToDictionary(a => a.ArticleId, a => a, StringComparer.Ordinal);
        var lastWeekStart = new DateOnly(2020, 9, 16);
        int sampleInLastWeek = HmData.ReadTransactions(HmData.TrainSampleFile).Count(t => t.Date >= lastWeekStart);
        var rows = HmData.ReadSampleHistoryPlusLastWeek().ToList();
        int lastWeekRows = rows.Count(t => t.Date >= lastWeekStart);
        double weight = lastWeekRows > 0 ? (double)sampleInLastWeek / lastWeekRows : 1;
        var last = rows.Max(t => t.Date);
        var first = rows.Min(t => t.Date);
        int weeks = (last.DayNumber - first.DayNumber) / 7 + 1;
        var ends = Enumerable.Range(0, weeks).Select(w => last.AddDays(-7 * (weeks - 1 - w))).ToArray();
        int WeekOf(DateOnly d) => weeks - 1 - (last.DayNumber - d.DayNumber) / 7;
        var firstWeek = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in rows)
        {
            int w = WeekOf(t.Date);
            if (!firstWeek.TryGetValue(t.ArticleId, out int fw) || w < fw) firstWeek[t.ArticleId] = w;
        }
        var groups = Kinds.ToDictionary(k => k, _ => new Dictionary<string, double[]>(StringComparer.Ordinal));
        var fresh = Kinds.ToDictionary(k => k, _ => new Dictionary<string, double[]>(StringComparer.Ordinal));
        var total = new double[weeks];
        foreach (var t in rows)
        {
            if (!articles.TryGetValue(t.ArticleId, out var a)) continue;
            int w = WeekOf(t.Date);
            double u = t.Date >= lastWeekStart ? weight : 1;
            total[w] += u;
            bool isNew = w - firstWeek[t.ArticleId] < 8 && firstWeek[t.ArticleId] > 8;
            Add("product_type", a.ProductTypeName);
            Add("colour", a.ColourGroupName);
            Add("graphical_appearance", a.GraphicalAppearanceName);
            Add("department", a.DepartmentName);

            void Add(string kind, string name)
            {
                if (!groups[kind].TryGetValue(name, out var s)) { s = new double[weeks]; groups[kind][name] = s; fresh[kind][name] = new double[weeks]; }
                s[w] += u;
                if (isNew) fresh[kind][name][w] += u;
            }
        }
        return new HmSeries { WeekEnds = ends, LastWeekWeight = weight, Groups = groups, NewArticleUnits = fresh, Total = total };
    }

    /// <summary>Groups of a kind with at least <paramref name="minUnits"/> units in total, largest first.</summary>
    public (string[] Names, double[][] Values, double[][] NewUnits) Top(string kind, double minUnits, int max = int.MaxValue)
    {
        var keys = Groups[kind].Where(kv => kv.Value.Sum() >= minUnits).OrderByDescending(kv => kv.Value.Sum())
            .ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(max).Select(kv => kv.Key).ToArray();
        return (keys, keys.Select(k => Groups[kind][k]).ToArray(), keys.Select(k => NewArticleUnits[kind][k]).ToArray());
    }
}
