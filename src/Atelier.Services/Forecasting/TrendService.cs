using System.Collections.Concurrent;
using Atelier.Ml.Forecasting;
using Npgsql;

namespace Atelier.Services.Forecasting;

public enum TrendAttribute { ProductType, Colour, GraphicalAppearance, Category }

public sealed record StoreTrendDto(string Group, double Score, double UnitsPerWeek, double Growth, double Acceleration,
    double SeasonalGrowth, double NewArticleShare, double SentimentShift, string Explanation);

public sealed record StoreTrendsDto(string Attribute, DateOnly? AsOf, int Groups, int Weeks, IReadOnlyList<StoreTrendDto> Trends, string? Note);

/// <summary>
/// What is taking off in this store: weekly units per product type, colour, pattern or category (7-day periods ending on
/// the last sale day), new-article sales and review sentiment per group, scored by <see cref="TrendScorer"/> fitted on
/// the store's own earlier weeks (seasonality from the same weeks a year before). Needs a year and a quarter of sales.
/// The ranking reads the whole sales history, so it is kept per attribute until the data changes (a new order, a
/// cancellation, a new or re-analysed review, a new last sale day) or for at most <see cref="MaxAge"/> (catalogue edits).
/// </summary>
public sealed class TrendService(NpgsqlDataSource db, TimeProvider? clock = null)
{
    private const int Window = 4;
    private const int MinUnitsPerWeek = 1;
    private const int NewArticleWeeks = 8;
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);

    // Index lookups plus two small scans: far cheaper than the ranking (which groups every sale line).
    private const string DataVersionSql = """
        SELECT concat_ws('/', (SELECT max(order_id) FROM orders), (SELECT max(cancelled_at) FROM orders),
                              (SELECT max(review_id) FROM review), (SELECT max(analysed_at) FROM review_insight),
                              (SELECT count(*) FROM review_insight))
        """;

    private sealed record Cached(DateOnly LastDay, string Version, DateTimeOffset At, StoreTrendsDto All);

    private readonly ConcurrentDictionary<TrendAttribute, Cached> _cache = new();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private int _computations;

    /// <summary>How many times the ranking was computed rather than served from the cache.</summary>
    internal int Computations => Volatile.Read(ref _computations);

    public static bool TryParseAttribute(string? value, out TrendAttribute attribute)
    {
        (var ok, attribute) = value?.ToLowerInvariant() switch
        {
            null or "" or "product_type" => (true, TrendAttribute.ProductType),
            "colour" or "color" => (true, TrendAttribute.Colour),
            "graphical_appearance" or "pattern" => (true, TrendAttribute.GraphicalAppearance),
            "category" => (true, TrendAttribute.Category),
            _ => (false, TrendAttribute.ProductType),
        };
        return ok;
    }

    public static string Name(TrendAttribute a) => a switch
    {
        TrendAttribute.Colour => "colour",
        TrendAttribute.GraphicalAppearance => "graphical_appearance",
        TrendAttribute.Category => "category",
        _ => "product_type",
    };

    public async Task<StoreTrendsDto> CurrentAsync(TrendAttribute attribute, int top, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var last = await Admin.SalesDays.LatestAsync(conn, ct);
        if (last is not { } lastDay) return new StoreTrendsDto(Name(attribute), null, 0, 0, [], "no sales yet");
        string version;
        await using (var cmd = new NpgsqlCommand(DataVersionSql, conn))
            version = (string)(await cmd.ExecuteScalarAsync(ct))!;
        var now = _clock.GetUtcNow();
        if (!_cache.TryGetValue(attribute, out var hit) || hit.LastDay != lastDay || hit.Version != version || now - hit.At > MaxAge)
        {
            Interlocked.Increment(ref _computations);
            hit = new Cached(lastDay, version, now, await ComputeAsync(conn, attribute, lastDay, ct));
            _cache[attribute] = hit;
        }
        return hit.All with { Trends = hit.All.Trends.Take(top).ToList() };
    }

    /// <summary>Every qualifying group of <paramref name="attribute"/>, ranked.</summary>
    private static async Task<StoreTrendsDto> ComputeAsync(NpgsqlConnection conn, TrendAttribute attribute, DateOnly lastDay, CancellationToken ct)
    {
        // Fixed fragments only: the attribute picks one of these, user text never reaches the SQL.
        var (join, key) = attribute switch
        {
            TrendAttribute.Colour => ("JOIN colour g ON g.colour_id = a.colour_id", "g.name"),
            TrendAttribute.GraphicalAppearance => ("JOIN graphical_appearance g ON g.graphical_appearance_id = a.graphical_appearance_id", "g.name"),
            TrendAttribute.Category => ("JOIN category g ON g.category_id = p.category_id", "g.name"),
            _ => ("JOIN product_type g ON g.product_type_id = p.product_type_id", "g.name"),
        };
        var name = Name(attribute);

        var units = new Dictionary<string, (Dictionary<int, double> All, Dictionary<int, double> Fresh)>();
        var weeks = 0;
        await using (var cmd = new NpgsqlCommand($"""
            WITH first_sale AS (
                SELECT l.article_id, min(o.placed_at AT TIME ZONE 'UTC')::date AS first_day
                FROM order_line l JOIN orders o USING (order_id) WHERE o.status <> 'cancelled' GROUP BY l.article_id)
            SELECT {key}, (@last - (s.placed_at AT TIME ZONE 'UTC')::date) / 7 AS back,
                   sum(s.quantity)::float8,
                   sum(s.quantity) FILTER (WHERE (s.placed_at AT TIME ZONE 'UTC')::date - f.first_day < {NewArticleWeeks * 7})::float8
            FROM sales_line s
            JOIN article a ON a.article_id = s.article_id JOIN product p ON p.product_id = s.product_id {join}
            JOIN first_sale f ON f.article_id = s.article_id
            GROUP BY 1, 2
            """, conn))
        {
            cmd.Parameters.AddWithValue("last", lastDay);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var g = r.GetString(0);
                var back = r.GetInt32(1);
                if (!units.TryGetValue(g, out var e)) units[g] = e = ([], []);
                e.All[back] = r.GetDouble(2);
                e.Fresh[back] = r.IsDBNull(3) ? 0 : r.GetDouble(3);
                weeks = Math.Max(weeks, back + 1);
            }
        }
        var scorer = new TrendScorer(Window);
        var needed = scorer.MinOrigin + 2 * Window + 1;
        if (weeks < needed)
            return new StoreTrendsDto(name, lastDay, units.Count, weeks, [], $"needs {needed} weeks of sales history (a year for seasonality plus training weeks); the store has {weeks}");

        var sentiment = new Dictionary<string, (Dictionary<int, double> Sum, Dictionary<int, double> Count)>();
        await using (var cmd = new NpgsqlCommand($"""
            SELECT {key}, (@last - (rv.created_at AT TIME ZONE 'UTC')::date) / 7, sum(ri.sentiment_score)::float8, count(*)::float8
            FROM review rv JOIN review_insight ri ON ri.review_id = rv.review_id
            JOIN product p ON p.product_id = rv.product_id
            LEFT JOIN article a ON a.article_id = rv.article_id {join}
            WHERE (rv.created_at AT TIME ZONE 'UTC')::date <= @last
            GROUP BY 1, 2
            """, conn))
        {
            cmd.Parameters.AddWithValue("last", lastDay);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var g = r.GetString(0);
                if (!sentiment.TryGetValue(g, out var e)) sentiment[g] = e = ([], []);
                e.Sum[r.GetInt32(1)] = r.GetDouble(2);
                e.Count[r.GetInt32(1)] = r.GetDouble(3);
            }
        }

        // Series run oldest → newest.
        double[] Series(Dictionary<int, double> byBack)
        {
            var y = new double[weeks];
            foreach (var (back, v) in byBack) if (back < weeks) y[weeks - 1 - back] = v;
            return y;
        }
        // Groups that sold at least once a week on average over the last year (older history may be long and sparse).
        var lastYear = Math.Min(weeks, 52);
        var names = units.Where(kv => kv.Value.All.Where(w => w.Key < lastYear).Sum(w => w.Value) >= MinUnitsPerWeek * lastYear)
            .Select(kv => kv.Key).Order(StringComparer.Ordinal).ToArray();
        if (names.Length < 2) return new StoreTrendsDto(name, lastDay, names.Length, weeks, [], "fewer than two groups sell at least once a week");
        var y = names.Select(n => Series(units[n].All)).ToArray();
        var fresh = names.Select(n => (double[]?)Series(units[n].Fresh)).ToArray();
        var sent = names.Select(n => sentiment.TryGetValue(n, out var s) ? new SentimentSeries(Series(s.Sum), Series(s.Count)) : null).ToArray();
        var t = weeks - 1;
        scorer.Fit(y, fresh, scorer.MinOrigin, t - Window, sent);
        var ranked = scorer.Rank(y, fresh, t, sent).Select(s => new StoreTrendDto(names[s.Group], Math.Round(s.Score, 4),
            Math.Round(s.Velocity, 2), Math.Round(s.Growth, 4), Math.Round(s.Acceleration, 4), Math.Round(s.SeasonalGrowth, 4),
            Math.Round(s.NewArticleShare, 3), Math.Round(s.SentimentShift, 3), Explain(s))).ToList();
        return new StoreTrendsDto(name, lastDay, names.Length, weeks, ranked, null);
    }

    /// <summary>The expected change and the two features that move the score most, each with the way it pushes.</summary>
    public static string Explain(TrendScore s)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        static string Pct(double logGrowth) => ((Math.Exp(logGrowth) - 1) * 100).ToString("+0;−0;0", System.Globalization.CultureInfo.InvariantCulture) + "%";
        string What(int feature) => feature switch
        {
            0 => $"last 4 weeks {Pct(s.Growth)} on the 4 before",
            1 => $"growth {(s.Acceleration >= 0 ? "speeding up" : "slowing down")}",
            2 => $"the same weeks last year {Pct(s.SeasonalGrowth)}",
            3 => "growth beyond what the season explains",
            4 => $"{s.NewArticleShare.ToString("P0", inv)} of sales from new articles",
            5 => $"{s.Velocity.ToString("0.#", inv)} units a week",
            _ => $"reviews {(s.SentimentShift >= 0 ? "warmer" : "cooler")} than before ({s.SentimentShift.ToString("+0.00;−0.00", inv)})",
        };
        var parts = s.Contributions.Select((c, i) => (c, i)).Where(x => x.c != 0).OrderByDescending(x => Math.Abs(x.c)).Take(2)
            .Select(x => $"{What(x.i)} ({(x.c > 0 ? "lifts" : "holds back")})");
        return $"{Pct(s.Score)} expected over the next 4 weeks: " + string.Join("; ", parts);
    }
}
