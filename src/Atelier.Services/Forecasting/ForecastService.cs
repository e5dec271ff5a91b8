using System.Diagnostics;
using System.Text.Json;
using Atelier.Ml.Forecasting;
using Npgsql;
using NpgsqlTypes;

namespace Atelier.Services.Forecasting;

/// <summary>
/// Forecasts unit sales from <c>sales_line</c> for one level of the hierarchy and stores them (replacing the previous
/// run of that level and frequency, in one transaction). With <c>reconcile</c> the articles are forecast and summed
/// bottom-up to product, product type and total (independent errors: variances add), so the levels add up exactly.
/// </summary>
public sealed class ForecastService(NpgsqlDataSource db)
{
    private sealed record Series(string Key, double[] Values, string? Product, string? ProductType);

    public async Task<IReadOnlyList<ForecastRunSummary>> RunAsync(string level, string frequency, int horizon, bool reconcile,
        DateTime? asOfUtc, CancellationToken ct)
    {
        if (!ForecastLevels.All.Contains(level)) throw new ArgumentException($"unknown level '{level}'", nameof(level));
        if (!ForecastLevels.Frequencies.Contains(frequency)) throw new ArgumentException($"unknown frequency '{frequency}'", nameof(frequency));
        if (horizon is < 1 or > 366) throw new ArgumentOutOfRangeException(nameof(horizon), "between 1 and 366");
        var sw = Stopwatch.StartNew();
        var asOf = asOfUtc ?? await DefaultAsOfAsync(ct) ?? throw new InvalidOperationException("no sales to forecast");
        int days = ForecastLevels.DaysPerPeriod(frequency);
        var origin = PeriodStart(DateOnly.FromDateTime(asOf), frequency);
        var start = origin.AddDays(-days * (frequency == "daily" ? 730 : 156));
        var baseLevel = reconcile ? "article" : level;
        var series = await ReadAsync(baseLevel, frequency, start, origin, reconcile, ct);
        if (series.Count == 0) throw new InvalidOperationException($"no sales before {origin:yyyy-MM-dd}");
        int first = FirstNonZero(series);
        start = start.AddDays(days * first);
        int period = ForecastLevels.SeasonalPeriod(frequency);
        var results = new (string Model, PointForecast F)[series.Count];
        Parallel.For(0, series.Count, i => results[i] = AutoSeriesModel.Forecast(series[i].Values.AsSpan(first), period, horizon));

        var levels = new List<(string Level, List<(string Key, string Model, PointForecast F)> Rows)>
        {
            (baseLevel, series.Select((s, i) => (s.Key, results[i].Model, results[i].F)).ToList()),
        };
        if (reconcile)
        {
            levels.Add(("product", BottomUp(series, results, s => s.Product!, horizon)));
            levels.Add(("product_type", BottomUp(series, results, s => s.ProductType!, horizon)));
            levels.Add(("total", BottomUp(series, results, _ => "", horizon)));
        }

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var summaries = new List<ForecastRunSummary>();
        foreach (var (lv, rows) in levels)
        {
            var models = rows.GroupBy(r => r.Model).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var runId = await StoreAsync(conn, tx, lv, frequency, horizon, start, origin, reconcile && lv != "article", models, rows, ct);
            summaries.Add(new ForecastRunSummary(runId, lv, frequency, horizon, start, origin, rows.Count, reconcile && lv != "article", models, 0));
        }
        await tx.CommitAsync(ct);
        return summaries.Select(s => s with { Seconds = Math.Round(sw.Elapsed.TotalSeconds, 3) }).ToList();
    }

    /// <summary>The latest stored series of a level (null when there is no run or no such key).</summary>
    public async Task<ForecastSeriesDto?> GetAsync(string level, string key, string frequency, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT r.run_id, r.reconciled, r.generated_at, f.model, f.period_start, f.point, f.lo80, f.hi80, f.lo95, f.hi95
            FROM forecast_run r JOIN forecast f ON f.run_id = r.run_id
            WHERE r.run_id = (SELECT run_id FROM forecast_run WHERE level = @l AND frequency = @f ORDER BY generated_at DESC, run_id DESC LIMIT 1)
              AND f.series_key = @k
            ORDER BY f.period_start
            """);
        cmd.Parameters.AddWithValue("l", level);
        cmd.Parameters.AddWithValue("f", frequency);
        cmd.Parameters.AddWithValue("k", key);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var points = new List<ForecastPointDto>();
        long run = 0; bool reconciled = false; DateTimeOffset at = default; string model = "";
        while (await r.ReadAsync(ct))
        {
            run = r.GetInt64(0); reconciled = r.GetBoolean(1); at = r.GetFieldValue<DateTimeOffset>(2); model = r.GetString(3);
            points.Add(new ForecastPointDto(r.GetFieldValue<DateOnly>(4), r.GetDouble(5), r.GetDouble(6), r.GetDouble(7), r.GetDouble(8), r.GetDouble(9)));
        }
        return points.Count == 0 ? null : new ForecastSeriesDto(run, level, key, frequency, model, reconciled, at, points);
    }

    public static DateOnly PeriodStart(DateOnly d, string frequency) =>
        frequency == "daily" ? d : d.AddDays(-(((int)d.DayOfWeek + 6) % 7)); // ISO weeks start on Monday, like date_trunc('week')

    private async Task<DateTime?> DefaultAsOfAsync(CancellationToken ct)
    {
        // The day after the last sale (an imported history ends in the past), but never later than now.
        await using var cmd = db.CreateCommand("SELECT least(now(), max(placed_at) + interval '1 day') FROM sales_line");
        var v = await cmd.ExecuteScalarAsync(ct);
        return v is DateTime t ? t : null;
    }

    private async Task<List<Series>> ReadAsync(string level, string frequency, DateOnly start, DateOnly origin, bool withParents, CancellationToken ct)
    {
        string period = frequency == "daily" ? "(placed_at AT TIME ZONE 'UTC')::date" : "date_trunc('week', placed_at AT TIME ZONE 'UTC')::date";
        string parents = withParents ? "product_id::text, product_type_id::text" : "NULL::text, NULL::text";
        await using var cmd = db.CreateCommand($"""
            SELECT {ForecastLevels.KeySql(level)} AS k, {parents}, {period} AS p, sum(quantity)::float8
            FROM sales_line
            WHERE placed_at >= @s AND placed_at < @o
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 4
            """);
        cmd.Parameters.AddWithValue("s", NpgsqlDbType.TimestampTz, start.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        cmd.Parameters.AddWithValue("o", NpgsqlDbType.TimestampTz, origin.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        int days = ForecastLevels.DaysPerPeriod(frequency);
        int length = (origin.DayNumber - start.DayNumber) / days;
        var list = new List<Series>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        Series? cur = null;
        while (await r.ReadAsync(ct))
        {
            var key = r.GetString(0);
            if (cur is null || cur.Key != key)
            {
                cur = new Series(key, new double[length], r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2));
                list.Add(cur);
            }
            int t = (r.GetFieldValue<DateOnly>(3).DayNumber - start.DayNumber) / days;
            if (t >= 0 && t < length) cur.Values[t] += r.GetDouble(4); // zero weeks stay zero
        }
        return list;
    }

    private static int FirstNonZero(List<Series> series)
    {
        int first = int.MaxValue;
        foreach (var s in series)
            for (int t = 0; t < s.Values.Length && t < first; t++)
                if (s.Values[t] > 0) { first = t; break; }
        return first == int.MaxValue ? 0 : first;
    }

    private static List<(string Key, string Model, PointForecast F)> BottomUp(List<Series> series, (string Model, PointForecast F)[] f,
        Func<Series, string> parent, int horizon)
    {
        var mean = new Dictionary<string, (double[] M, double[] V)>(StringComparer.Ordinal);
        for (int i = 0; i < series.Count; i++)
        {
            var k = parent(series[i]);
            if (!mean.TryGetValue(k, out var acc)) mean[k] = acc = (new double[horizon], new double[horizon]);
            for (int h = 0; h < horizon; h++) { acc.M[h] += f[i].F.Mean[h]; acc.V[h] += f[i].F.Sigma[h] * f[i].F.Sigma[h]; }
        }
        return mean.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => (e.Key, "bottom_up", new PointForecast(e.Value.M, e.Value.V.Select(Math.Sqrt).ToArray()))).ToList();
    }

    private static async Task<long> StoreAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string level, string frequency, int horizon,
        DateOnly start, DateOnly origin, bool reconciled, Dictionary<string, int> models, List<(string Key, string Model, PointForecast F)> rows,
        CancellationToken ct)
    {
        await using (var del = new NpgsqlCommand("DELETE FROM forecast_run WHERE level = @l AND frequency = @f", conn, tx))
        {
            del.Parameters.AddWithValue("l", level);
            del.Parameters.AddWithValue("f", frequency);
            await del.ExecuteNonQueryAsync(ct);
        }
        long runId;
        await using (var ins = new NpgsqlCommand("""
            INSERT INTO forecast_run (level, frequency, horizon, history_start, origin, series, reconciled, model_summary)
            VALUES (@l, @f, @h, @s, @o, @n, @r, @m) RETURNING run_id
            """, conn, tx))
        {
            ins.Parameters.AddWithValue("l", level);
            ins.Parameters.AddWithValue("f", frequency);
            ins.Parameters.AddWithValue("h", horizon);
            ins.Parameters.AddWithValue("s", start);
            ins.Parameters.AddWithValue("o", origin);
            ins.Parameters.AddWithValue("n", rows.Count);
            ins.Parameters.AddWithValue("r", reconciled);
            ins.Parameters.AddWithValue("m", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(models));
            runId = (long)(await ins.ExecuteScalarAsync(ct))!;
        }
        int days = ForecastLevels.DaysPerPeriod(frequency);
        await using var copy = await conn.BeginBinaryImportAsync(
            "COPY forecast (run_id, series_key, period_start, model, point, lo80, hi80, lo95, hi95) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (key, model, f) in rows)
        {
            var iv = PredictionIntervals.Build(f);
            for (int h = 0; h < horizon; h++)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(runId, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(key, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(origin.AddDays(h * days), NpgsqlDbType.Date, ct);
                await copy.WriteAsync(model, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(iv.Mean[h], NpgsqlDbType.Double, ct);
                await copy.WriteAsync(iv.Lower80[h], NpgsqlDbType.Double, ct);
                await copy.WriteAsync(iv.Upper80[h], NpgsqlDbType.Double, ct);
                await copy.WriteAsync(iv.Lower95[h], NpgsqlDbType.Double, ct);
                await copy.WriteAsync(iv.Upper95[h], NpgsqlDbType.Double, ct);
            }
        }
        await copy.CompleteAsync(ct);
        return runId;
    }
}
