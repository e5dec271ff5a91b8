using Npgsql;

namespace Atelier.Services.Import;

/// <summary>
/// The set-based order merge shared by the order sources. The caller fills two temp tables for the batch:
/// <c>oh</c> (ref, customer_ref, placed_at, channel, cancelled) — one row per order — and
/// <c>ol</c> (ref, article_id, quantity, unit_price, first_line, n) — one row per order line, n = source rows it stands for.
/// Orders are keyed by external_ref: a new order is created with this file's id; lines of an order this file created in
/// an earlier batch are appended; rows of an order another import created are duplicates.
/// </summary>
internal static class OrderMerge
{
    public const string CreateTables = """
        CREATE TEMP TABLE oh (ref text, customer_ref text, placed_at timestamptz, channel smallint, cancelled boolean) ON COMMIT DROP;
        CREATE TEMP TABLE ol (ref text, article_id bigint, quantity integer, unit_price numeric(12, 4), first_line integer, n integer) ON COMMIT DROP;
        """;

    public static async Task<long> MergeAsync(NpgsqlConnection conn, long fileId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO customer (external_ref) SELECT DISTINCT customer_ref FROM oh ON CONFLICT (external_ref) DO NOTHING;
            CREATE TEMP TABLE onew (order_id bigint, ref text) ON COMMIT DROP;
            WITH ins AS (
                INSERT INTO orders (customer_id, placed_at, channel, status, cancelled_at, external_ref, import_file_id)
                SELECT c.customer_id, h.placed_at, h.channel, CASE WHEN h.cancelled THEN 'cancelled' ELSE 'delivered' END,
                       CASE WHEN h.cancelled THEN h.placed_at END, h.ref, @f
                FROM oh h JOIN customer c ON c.external_ref = h.customer_ref
                ORDER BY h.placed_at, h.ref
                ON CONFLICT (external_ref) DO NOTHING
                RETURNING order_id, external_ref)
            INSERT INTO onew SELECT * FROM ins;
            ANALYZE onew;
            INSERT INTO order_line (order_id, line_no, article_id, quantity, unit_price)
            SELECT o.order_id, row_number() OVER (PARTITION BY o.order_id ORDER BY l.first_line), l.article_id, l.quantity, l.unit_price
            FROM ol l JOIN onew o ON o.ref = l.ref;
            INSERT INTO order_line (order_id, line_no, article_id, quantity, unit_price)
            SELECT o.order_id,
                   (SELECT max(x.line_no) FROM order_line x WHERE x.order_id = o.order_id) + row_number() OVER (PARTITION BY o.order_id ORDER BY l.first_line),
                   l.article_id, l.quantity, l.unit_price
            FROM ol l JOIN orders o ON o.external_ref = l.ref
            WHERE o.import_file_id = @f AND NOT EXISTS (SELECT 1 FROM onew n WHERE n.order_id = o.order_id);
            SELECT coalesce(sum(l.n), 0) FROM ol l JOIN orders o ON o.external_ref = l.ref WHERE o.import_file_id = @f;
            """, conn);
        cmd.CommandTimeout = 0;
        cmd.Parameters.AddWithValue("f", fileId);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
