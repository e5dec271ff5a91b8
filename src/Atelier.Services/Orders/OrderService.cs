using Atelier.Services.Hosting;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Atelier.Services.Api;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Atelier.Services.Orders;

/// <summary>
/// Order placement through <c>place_order</c> with idempotency keys, history, detail and cancellation.
/// Every read and write is scoped to the calling customer: another customer's order is simply not found.
/// </summary>
public sealed class OrderService(NpgsqlDataSource db, IOptions<OrderOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly OrderOptions _options = options.Value;

    /// <summary>
    /// Places the order exactly once per (user, key). The key row is inserted in the same transaction as the order,
    /// so a concurrent retry blocks on its primary key until the first attempt commits (then replays the stored
    /// response) or rolls back (then tries itself). Failed attempts are not stored: the client may retry them.
    /// </summary>
    public async Task<PlaceOrderOutcome> PlaceAsync(long userId, long customerId, string idempotencyKey,
        IReadOnlyList<OrderItem>? items, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var fromCart = items is null || items.Count == 0;
        var itemsJson = fromCart
            ? await CartItemsJsonAsync(conn, tx, customerId, ct)
            : JsonSerializer.Serialize(items!.Select(i => new { article_id = i.ArticleId, quantity = i.Quantity }));
        var requestHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes((fromCart ? "cart:" : "items:") + itemsJson)));

        await using (var claim = new NpgsqlCommand("""
            INSERT INTO idempotency_key (user_id, key, request_hash) VALUES (@u, @k, @h) ON CONFLICT DO NOTHING
            """, conn, tx))
        {
            claim.Parameters.AddWithValue("u", userId);
            claim.Parameters.AddWithValue("k", idempotencyKey);
            claim.Parameters.AddWithValue("h", requestHash);
            if (await claim.ExecuteNonQueryAsync(ct) == 0)
                return await ReplayAsync(conn, tx, userId, idempotencyKey, requestHash, fromCart, ct);
        }
        // Checked after the key: a retry of a cart order that succeeded (and emptied the cart) replays that order. A new
        // key with an empty cart fails, and the rollback forgets the key.
        if (fromCart && itemsJson == "[]")
            throw new DomainException(DomainErrorKind.Conflict, "Empty cart", "the cart is empty: add items or send them in the request", "items");

        long orderId;
        await using (var place = new NpgsqlCommand("SELECT place_order(@c, @i::jsonb)", conn, tx))
        {
            place.Parameters.AddWithValue("c", customerId);
            place.Parameters.AddWithValue("i", itemsJson);
            orderId = (long)(await place.ExecuteScalarAsync(ct))!;
        }
        var order = (await ReadOrderAsync(conn, tx, customerId, orderId, ct))!;
        await using (var store = new NpgsqlCommand("""
            UPDATE idempotency_key SET response_status = 201, response_body = @b::jsonb, order_id = @o
            WHERE user_id = @u AND key = @k;
            DELETE FROM cart_line WHERE customer_id = @c AND @fromCart;
            """, conn, tx))
        {
            store.Parameters.AddWithValue("b", JsonSerializer.Serialize(order, Json));
            store.Parameters.AddWithValue("o", orderId);
            store.Parameters.AddWithValue("u", userId);
            store.Parameters.AddWithValue("k", idempotencyKey);
            store.Parameters.AddWithValue("c", customerId);
            store.Parameters.AddWithValue("fromCart", fromCart);
            await store.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        var source = new KeyValuePair<string, object?>("source", fromCart ? "cart" : "items");
        AtelierMeter.OrdersPlaced.Add(1, source);
        AtelierMeter.OrderRevenue.Add((double)order.Total, source);
        return new PlaceOrderOutcome(order, Replayed: false);
    }

    private static async Task<PlaceOrderOutcome> ReplayAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long userId, string key,
        string requestHash, bool fromCart, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT request_hash, response_body::text FROM idempotency_key WHERE user_id = @u AND key = @k", conn, tx);
        cmd.Parameters.AddWithValue("u", userId);
        cmd.Parameters.AddWithValue("k", key);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct) || r.IsDBNull(1))
            throw new DomainException(DomainErrorKind.Conflict, "Request in progress", "a request with this Idempotency-Key is still being processed; retry shortly", "Idempotency-Key");
        // Ordering "the cart" again after it was emptied by the first attempt is the same request.
        if (r.GetString(0) != requestHash && !fromCart)
            throw new DomainException(DomainErrorKind.Unprocessable, "Idempotency-Key reused",
                "this Idempotency-Key was already used for a different request", "Idempotency-Key");
        var order = JsonSerializer.Deserialize<OrderDto>(r.GetString(1), Json)!;
        return new PlaceOrderOutcome(order, Replayed: true);
    }

    private static async Task<string> CartItemsJsonAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long customerId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT coalesce(jsonb_agg(jsonb_build_object('article_id', article_id, 'quantity', quantity) ORDER BY article_id), '[]')::text
            FROM cart_line WHERE customer_id = @c
            """, conn, tx);
        cmd.Parameters.AddWithValue("c", customerId);
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task<OrderDto?> GetAsync(long customerId, long orderId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await ReadOrderAsync(conn, null, customerId, orderId, ct);
    }

    private async Task<OrderDto?> ReadOrderAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, long customerId, long orderId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT o.placed_at, o.status, l.line_no, l.article_id, a.article_code, p.name, l.quantity, l.unit_price, l.discount
            FROM orders o
            LEFT JOIN order_line l ON l.order_id = o.order_id
            LEFT JOIN article a ON a.article_id = l.article_id
            LEFT JOIN product p ON p.product_id = a.product_id
            WHERE o.order_id = @o AND o.customer_id = @c
            ORDER BY l.line_no
            """, conn, tx);
        cmd.Parameters.AddWithValue("o", orderId);
        cmd.Parameters.AddWithValue("c", customerId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        DateTimeOffset placedAt = default;
        var status = "";
        var lines = new List<OrderLineDto>();
        var found = false;
        while (await r.ReadAsync(ct))
        {
            found = true;
            placedAt = r.GetFieldValue<DateTimeOffset>(0);
            status = r.GetString(1);
            if (r.IsDBNull(2)) continue;
            var (qty, price, discount) = (r.GetInt32(6), r.GetDecimal(7), r.GetDecimal(8));
            lines.Add(new OrderLineDto(r.GetInt16(2), r.GetInt64(3), r.GetString(4), r.GetString(5), qty, price, discount, qty * (price - discount)));
        }
        if (!found) return null;
        var until = placedAt.AddMinutes(_options.CancelWindowMinutes);
        DateTimeOffset? cancellableUntil = status is "placed" or "paid" && until > DateTimeOffset.UtcNow ? until : null;
        return new OrderDto(orderId, placedAt, status, lines.Sum(l => l.LineTotal), lines.Sum(l => l.Quantity), cancellableUntil, lines);
    }

    public async Task<Page<OrderSummaryDto>> HistoryAsync(long customerId, long? beforeOrderId, int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT order_id, placed_at, status, total, units FROM order_total
            WHERE customer_id = @c AND (@before::bigint IS NULL OR order_id < @before)
            ORDER BY order_id DESC LIMIT @n
            """);
        cmd.Parameters.AddWithValue("c", customerId);
        cmd.Parameters.Add(new NpgsqlParameter("before", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)beforeOrderId ?? DBNull.Value });
        cmd.Parameters.AddWithValue("n", limit + 1);
        var items = new List<OrderSummaryDto>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
                items.Add(new OrderSummaryDto(r.GetInt64(0), r.GetFieldValue<DateTimeOffset>(1), r.GetString(2), r.GetDecimal(3), r.GetInt32(4)));
        string? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(items.Count - 1);
            next = Cursor.Encode("", items[^1].OrderId);
        }
        return new Page<OrderSummaryDto>(items, next);
    }

    /// <summary>Cancels the customer's order inside the window; null when the customer has no such order.</summary>
    public async Task<OrderDto?> CancelAsync(long customerId, long orderId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var check = new NpgsqlCommand(
            "SELECT placed_at FROM orders WHERE order_id = @o AND customer_id = @c FOR UPDATE", conn, tx))
        {
            check.Parameters.AddWithValue("o", orderId);
            check.Parameters.AddWithValue("c", customerId);
            if (await check.ExecuteScalarAsync(ct) is not DateTime placedAt) return null;
            if (DateTime.UtcNow > placedAt.AddMinutes(_options.CancelWindowMinutes))
                throw new DomainException(DomainErrorKind.Conflict, "Cancellation window closed",
                    $"orders can be cancelled within {_options.CancelWindowMinutes} minutes of placing them; order {orderId} was placed at {placedAt:u}");
        }
        await using (var cancel = new NpgsqlCommand("SELECT cancel_order(@o)", conn, tx))
        {
            cancel.Parameters.AddWithValue("o", orderId);
            await cancel.ExecuteNonQueryAsync(ct);
        }
        var order = await ReadOrderAsync(conn, tx, customerId, orderId, ct);
        await tx.CommitAsync(ct);
        return order;
    }
}
