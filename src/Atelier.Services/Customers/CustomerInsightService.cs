using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Atelier.Services.Customers;

/// <summary>
/// Computes customer insights from the store's own sales (the <c>sales_line</c> view) as of now and replaces the
/// stored ones (<c>customer_insight</c>, <c>customer_segment</c>) in one transaction.
/// </summary>
public sealed class CustomerInsightService(NpgsqlDataSource db)
{
    private const long WriteLock = 0x437573496E7369; // serialises concurrent runs

    public async Task<CustomerInsightSummary> AnalyzeAsync(CancellationToken ct, DateTime? asOfUtc = null)
    {
        var sw = Stopwatch.StartNew();
        var asOf = asOfUtc ?? DateTime.UtcNow;
        var (histories, ids) = await LoadAsync(asOf, ct);
        var result = CustomerInsightCalculator.Compute(histories, ids, asOf);
        await StoreAsync(result, asOf, ct);
        var n = Math.Max(1, result.Rows.Count);
        var groups = result.Rows.GroupBy(r => r.RfmGroup).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new RfmSegmentCount(g.Key, g.Count(), Math.Round((double)g.Count() / n, 4), Math.Round((double)g.Average(r => r.Monetary), 2)))
            .ToList();
        var segments = result.Segments.Select(s => s with
        {
            Share = Math.Round(s.Share, 4), MeanRecencyDays = Math.Round(s.MeanRecencyDays, 1), MeanFrequency = Math.Round(s.MeanFrequency, 2),
            MeanMonetary = Math.Round(s.MeanMonetary, 2),
        }).ToList();
        return new CustomerInsightSummary(asOf, result.Rows.Count, result.K, result.Silhouette is { } s ? Math.Round(s, 4) : null,
            segments, groups, result.Churn, result.ClvFitted, result.ClvNote, result.BgNbd, Math.Round(sw.Elapsed.TotalSeconds, 2));
    }

    /// <summary>One <see cref="CustomerHistory"/> per customer with a sale before <paramref name="asOf"/>; CustomerId = index.</summary>
    private async Task<(List<CustomerHistory>, List<long>)> LoadAsync(DateTime asOf, CancellationToken ct)
    {
        var histories = new List<CustomerHistory>();
        var ids = new List<long>();
        await using var cmd = db.CreateCommand("""
            SELECT customer_id, order_id, placed_at, product_id, quantity, revenue::float8
            FROM sales_line WHERE placed_at <= @asof
            ORDER BY customer_id, placed_at, order_id
            """);
        cmd.Parameters.AddWithValue("asof", NpgsqlDbType.TimestampTz, asOf);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        CustomerHistory? h = null;
        long lastCustomer = -1, lastOrder = -1;
        DateTime date = default; double amount = 0; int lines = 0, units = 0;
        void Flush()
        {
            if (h is not null && lastOrder >= 0) h.Invoices.Add(new CustomerInvoice(date, amount, lines, units));
        }
        while (await reader.ReadAsync(ct))
        {
            var customer = reader.GetInt64(0);
            var order = reader.GetInt64(1);
            if (customer != lastCustomer)
            {
                Flush();
                h = new CustomerHistory { CustomerId = histories.Count, Country = "" };
                histories.Add(h); ids.Add(customer);
                lastCustomer = customer; lastOrder = -1;
            }
            if (order != lastOrder)
            {
                Flush();
                lastOrder = order; date = reader.GetDateTime(2); amount = 0; lines = 0; units = 0;
            }
            var qty = reader.GetInt32(4);
            amount += reader.GetDouble(5); lines++; units += qty;
            h!.Lines.Add((date, reader.GetInt64(3).ToString(System.Globalization.CultureInfo.InvariantCulture), false));
        }
        Flush();
        return (histories, ids);
    }

    private async Task StoreAsync(CustomerInsightResult r, DateTime asOf, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var c = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({WriteLock}); DELETE FROM customer_insight; DELETE FROM customer_segment;", conn, tx))
            await c.ExecuteNonQueryAsync(ct);
        await using (var w = await conn.BeginBinaryImportAsync("""
            COPY customer_insight (customer_id, as_of, recency_days, frequency, monetary, r_score, f_score, m_score, rfm_group,
                cluster_id, cluster_name, churn_probability, p_alive, expected_purchases_365, predicted_clv_365, expected_next_order)
            FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            foreach (var x in r.Rows)
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(x.CustomerId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(asOf, NpgsqlDbType.TimestampTz, ct);
                await w.WriteAsync(x.RecencyDays, NpgsqlDbType.Double, ct);
                await w.WriteAsync(x.Frequency, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(x.Monetary, NpgsqlDbType.Numeric, ct);
                await w.WriteAsync((short)x.R, NpgsqlDbType.Smallint, ct);
                await w.WriteAsync((short)x.F, NpgsqlDbType.Smallint, ct);
                await w.WriteAsync((short)x.M, NpgsqlDbType.Smallint, ct);
                await w.WriteAsync(x.RfmGroup, NpgsqlDbType.Text, ct);
                await WriteNullable(w, x.ClusterId is { } cid ? (short?)cid : null, NpgsqlDbType.Smallint, ct);
                await WriteNullable(w, x.ClusterName, NpgsqlDbType.Text, ct);
                await WriteNullable(w, x.ChurnProbability, NpgsqlDbType.Real, ct);
                await WriteNullable(w, x.PAlive, NpgsqlDbType.Real, ct);
                await WriteNullable(w, x.ExpectedPurchases365, NpgsqlDbType.Real, ct);
                await WriteNullable(w, x.PredictedClv365, NpgsqlDbType.Numeric, ct);
                await WriteNullable(w, x.ExpectedNextOrder, NpgsqlDbType.Date, ct);
            }
            await w.CompleteAsync(ct);
        }
        foreach (var s in r.Segments)
        {
            await using var c = new NpgsqlCommand("""
                INSERT INTO customer_segment (cluster_id, name, size, share, mean_recency_days, mean_frequency, mean_monetary, method, k, silhouette, as_of)
                VALUES (@id, @n, @sz, @sh, @r, @f, @m, @method, @k, @sil, @asof)
                """, conn, tx);
            c.Parameters.AddWithValue("id", (short)s.ClusterId);
            c.Parameters.AddWithValue("n", s.Name);
            c.Parameters.AddWithValue("sz", s.Size);
            c.Parameters.AddWithValue("sh", (float)s.Share);
            c.Parameters.AddWithValue("r", s.MeanRecencyDays);
            c.Parameters.AddWithValue("f", s.MeanFrequency);
            c.Parameters.AddWithValue("m", Math.Round((decimal)s.MeanMonetary, 4));
            c.Parameters.AddWithValue("method", "k-means++ on log1p + z-scored RFM, k by silhouette");
            c.Parameters.AddWithValue("k", (short)(r.K ?? 0));
            c.Parameters.AddWithValue("sil", r.Silhouette is { } sil ? (float)sil : DBNull.Value);
            c.Parameters.AddWithValue("asof", NpgsqlDbType.TimestampTz, asOf);
            await c.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    private static async Task WriteNullable<T>(NpgsqlBinaryImporter w, T? value, NpgsqlDbType type, CancellationToken ct) where T : struct
    {
        if (value is { } v) await w.WriteAsync(v, type, ct);
        else await w.WriteNullAsync(ct);
    }

    private static async Task WriteNullable(NpgsqlBinaryImporter w, string? value, NpgsqlDbType type, CancellationToken ct)
    {
        if (value is not null) await w.WriteAsync(value, type, ct);
        else await w.WriteNullAsync(ct);
    }
}
