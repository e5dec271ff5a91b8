using Npgsql;

namespace Atelier.Services.Orders;

/// <summary>The customer's single cart; quantities are checked against stock only when ordering.</summary>
public sealed class CartService(NpgsqlDataSource db)
{
    public async Task<CartDto> GetAsync(long customerId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT l.article_id, a.article_code, p.product_id, p.name, a.size, l.quantity, a.price, a.stock
            FROM cart_line l JOIN article a USING (article_id) JOIN product p USING (product_id)
            WHERE l.customer_id = @c ORDER BY l.added_at, l.article_id
            """);
        cmd.Parameters.AddWithValue("c", customerId);
        var lines = new List<CartLineDto>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                var qty = r.GetInt32(5);
                var price = r.GetDecimal(6);
                lines.Add(new CartLineDto(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetString(3), r.GetString(4), qty, price, qty * price, r.GetInt32(7)));
            }
        return new CartDto(lines, lines.Sum(l => l.Quantity), lines.Sum(l => l.LineTotal));
    }

    /// <summary>Sets the quantity of one article; false when the article does not exist or is not for sale.</summary>
    public Task<bool> SetLineAsync(long customerId, long articleId, int quantity, CancellationToken ct) =>
        UpsertLineAsync(customerId, articleId, quantity, add: false, max: quantity, ct);

    /// <summary>One more of an article (at most <paramref name="max"/> in the bag), in one statement; false when the
    /// article does not exist or is not for sale.</summary>
    public Task<bool> AddOneAsync(long customerId, long articleId, int max, CancellationToken ct) =>
        UpsertLineAsync(customerId, articleId, 1, add: true, max, ct);

    private async Task<bool> UpsertLineAsync(long customerId, long articleId, int quantity, bool add, int max, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            WITH a AS (SELECT article_id FROM article WHERE article_id = @a AND is_active),
                 c AS (INSERT INTO cart (customer_id) SELECT @c WHERE EXISTS (SELECT 1 FROM a)
                       ON CONFLICT (customer_id) DO UPDATE SET updated_at = now() RETURNING customer_id)
            INSERT INTO cart_line (customer_id, article_id, quantity)
            SELECT c.customer_id, a.article_id, @q FROM c, a
            ON CONFLICT (customer_id, article_id) DO UPDATE
            SET quantity = CASE WHEN @add THEN least(cart_line.quantity + excluded.quantity, @max) ELSE excluded.quantity END
            """);
        cmd.Parameters.AddWithValue("c", customerId);
        cmd.Parameters.AddWithValue("a", articleId);
        cmd.Parameters.AddWithValue("q", quantity);
        cmd.Parameters.AddWithValue("add", add);
        cmd.Parameters.AddWithValue("max", max);
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    public async Task<bool> RemoveLineAsync(long customerId, long articleId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("DELETE FROM cart_line WHERE customer_id = @c AND article_id = @a");
        cmd.Parameters.AddWithValue("c", customerId);
        cmd.Parameters.AddWithValue("a", articleId);
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    public async Task ClearAsync(long customerId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("DELETE FROM cart_line WHERE customer_id = @c");
        cmd.Parameters.AddWithValue("c", customerId);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
