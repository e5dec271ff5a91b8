using Npgsql;
using NpgsqlTypes;

namespace Atelier.Services.Import;

/// <summary>
/// The order insert shared by the order sources (H&amp;M transactions, UCI Online Retail, retailers' order CSVs): the
/// client groups each batch (<see cref="OrderBatch"/>) and the server only inserts customers, orders and lines, keyed
/// by the orders' external_ref: a new order is created with this file's id; lines of an order this file created in an
/// earlier batch are appended; rows of an order another import created are duplicates.
/// </summary>
internal static class OrderMerge
{
    /// <summary>The temp tables of <see cref="MergeBatchAsync"/>, created once per file (emptied at every commit).</summary>
    public const string CreateBatchTables = """
        DROP TABLE IF EXISTS bh, bc, bl, bn, ba;
        CREATE TEMP TABLE bh (k integer, ref text, customer_ref text, placed_at timestamptz, channel smallint, cancelled boolean) ON COMMIT DELETE ROWS;
        CREATE TEMP TABLE bc (ref text) ON COMMIT DELETE ROWS;
        CREATE TEMP TABLE bl (k integer, line_no integer, article_id bigint, quantity integer, price double precision, n integer) ON COMMIT DELETE ROWS;
        CREATE TEMP TABLE bn (k integer, order_id bigint, line_offset integer) ON COMMIT DELETE ROWS;
        CREATE TEMP TABLE ba (placeholder bigint, code text, descr text, price numeric(12, 4), service boolean) ON COMMIT DELETE ROWS;
        """;

    /// <summary>
    /// Inserts the batch's customers that do not exist yet (in the caller's transaction, which for the pipelined
    /// import is a short one of its own: a customer without orders is harmless, and committing customers before the
    /// batch means no later batch ever waits for an earlier one's uncommitted customer rows, or vice versa).
    /// </summary>
    public static async Task InsertCustomersAsync(NpgsqlConnection conn, OrderBatch batch, CancellationToken ct)
    {
        if (batch.Customers.Count == 0) return;
        await using (var w = await conn.BeginBinaryImportAsync("COPY bc FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var c in batch.Customers)
            {
                w.StartRow();
                w.Write(c, NpgsqlDbType.Text);
            }
            await w.CompleteAsync(ct);
        }
        await using var cmd = new NpgsqlCommand("INSERT INTO customer (external_ref) SELECT ref FROM bc ON CONFLICT (external_ref) DO NOTHING", conn);
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Inserts one client-grouped batch's orders and lines in the open transaction (its customers must exist, see
    /// <see cref="InsertCustomersAsync"/>); returns the rows loaded (the rest are duplicates: rows of orders that another
    /// import created). Orders are keyed by external_ref; an order this file created in an earlier batch gets the
    /// batch's lines appended after its last line. <paramref name="order"/> lets two batches overlap safely (see
    /// <see cref="BatchOrder"/>); null = nothing else in flight.
    /// </summary>
    public static async Task<long> MergeBatchAsync(NpgsqlConnection conn, long fileId, OrderBatch batch, CancellationToken ct,
        BatchOrder? order = null, string? localTimeZone = null)
    {
        if (batch.Orders.Count == 0)
        {
            order?.OrdersInserted.TrySetResult();
            return 0;
        }
        await using (var w = await conn.BeginBinaryImportAsync("COPY bh FROM STDIN (FORMAT BINARY)", ct))
        {
            var k = 0;
            foreach (var o in batch.Orders)
            {
                w.StartRow();
                w.Write(++k, NpgsqlDbType.Integer);
                w.Write(o.Ref, NpgsqlDbType.Text);
                w.Write(o.CustomerRef, NpgsqlDbType.Text);
                w.Write(o.PlacedAtUtc, NpgsqlDbType.TimestampTz);
                w.Write(o.Channel, NpgsqlDbType.Smallint);
                w.Write(o.Cancelled, NpgsqlDbType.Boolean);
            }
            await w.CompleteAsync(ct);
        }
        await using (var w = await conn.BeginBinaryImportAsync("COPY bl FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var l in batch.Lines)
            {
                w.StartRow();
                w.Write(l.K, NpgsqlDbType.Integer);
                w.Write(l.LineNo, NpgsqlDbType.Integer);
                w.Write(l.ArticleId, NpgsqlDbType.Bigint);
                w.Write(l.Quantity, NpgsqlDbType.Integer);
                w.Write(l.PriceSum / l.Rows, NpgsqlDbType.Double); // = avg(price) over the rows, as before
                w.Write(l.Rows, NpgsqlDbType.Integer);
            }
            await w.CompleteAsync(ct);
        }

        // Orders strictly after the previous batch's orders: a repeated external_ref then only ever waits for an
        // earlier batch's transaction, never the other way round.
        if (order is not null) await order.PreviousOrdersInserted;
        await using var ins = new NpgsqlCommand("""
            WITH ins AS (
                INSERT INTO orders (customer_id, placed_at, channel, status, cancelled_at, external_ref, import_file_id)
                SELECT (SELECT c.customer_id FROM customer c WHERE c.external_ref = h.customer_ref), t.at, h.channel,
                       CASE WHEN h.cancelled THEN 'cancelled' ELSE 'delivered' END, CASE WHEN h.cancelled THEN t.at END,
                       h.ref, $1
                FROM bh h
                CROSS JOIN LATERAL (SELECT CASE WHEN $2::text IS NULL THEN h.placed_at
                                                ELSE (h.placed_at AT TIME ZONE 'UTC') AT TIME ZONE $2::text END AS at) t
                ORDER BY h.k
                ON CONFLICT (external_ref) DO NOTHING
                RETURNING order_id, external_ref)
            INSERT INTO bn (k, order_id, line_offset) SELECT h.k, i.order_id, 0 FROM ins i JOIN bh h ON h.ref = i.external_ref
            """, conn);
        ins.CommandTimeout = 0;
        ins.Parameters.Add(new NpgsqlParameter<long> { TypedValue = fileId });
        ins.Parameters.Add(new NpgsqlParameter { Value = (object?)localTimeZone ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var allNew = await ins.ExecuteNonQueryAsync(ct) == batch.Orders.Count;
        order?.OrdersInserted.TrySetResult();

        var lines = new NpgsqlBatch(conn) { Timeout = 0 };
        await using (lines)
        {
            if (!allNew)
            {
                // Some orders already existed (an unsorted file: this file's earlier batch; or another import's). Their
                // last line numbers are read once every earlier batch has committed, so two batches never append to
                // one order at the same line numbers.
                if (order is not null) await order.PreviousCommitted;
                var app = new NpgsqlBatchCommand("""
                    INSERT INTO bn (k, order_id, line_offset)
                    SELECT h.k, o.order_id, (SELECT max(x.line_no) FROM order_line x WHERE x.order_id = o.order_id)
                    FROM bh h CROSS JOIN LATERAL (SELECT o.order_id FROM orders o WHERE o.external_ref = h.ref AND o.import_file_id = $1) o
                    WHERE NOT EXISTS (SELECT 1 FROM bn n WHERE n.k = h.k)
                    """);
                app.Parameters.Add(new NpgsqlParameter<long> { TypedValue = fileId });
                lines.BatchCommands.Add(app);
            }
            lines.BatchCommands.Add(new NpgsqlBatchCommand("""
                INSERT INTO order_line (order_id, line_no, article_id, quantity, unit_price)
                SELECT n.order_id, n.line_offset + l.line_no, l.article_id, l.quantity, round(l.price::numeric, 4)
                FROM bl l JOIN bn n ON n.k = l.k ORDER BY n.order_id, l.line_no
                """));
            if (allNew)
            {
                await lines.ExecuteNonQueryAsync(ct);
                return batch.LineRows;
            }
            lines.BatchCommands.Add(new NpgsqlBatchCommand("SELECT coalesce(sum(l.n), 0) FROM bl l JOIN bn n ON n.k = l.k"));
            await using var r = await lines.ExecuteReaderAsync(ct);
            while (r.FieldCount == 0 && await r.NextResultAsync(ct)) { }
            await r.ReadAsync(ct);
            return r.GetInt64(0);
        }
    }
}

/// <summary>
/// How a batch of the pipelined import waits for the one before it (two batches are in flight on two connections).
/// Customers are committed in file order before each batch; orders are inserted in file order; lines overlap; a batch
/// commits only after the previous one did, so committed batches always form a prefix of the file and the checkpoint
/// stays exact. Every wait is of a later batch for an earlier one, so the two can never deadlock.
/// </summary>
internal sealed class BatchOrder(Task previousCustomersCommitted, Task previousOrdersInserted, Task previousCommitted)
{
    public Task PreviousCustomersCommitted { get; } = previousCustomersCommitted;
    public TaskCompletionSource CustomersCommitted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public Task PreviousOrdersInserted { get; } = previousOrdersInserted;
    public Task PreviousCommitted { get; } = previousCommitted;
    public TaskCompletionSource OrdersInserted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A failed batch fails every wait of the batch after it, which then rolls back.</summary>
    public void Fail(Exception e)
    {
        CustomersCommitted.TrySetException(e);
        OrdersInserted.TrySetException(e);
        Committed.TrySetException(e);
    }
}
