using Atelier.Services.Api;
using Npgsql;

namespace Atelier.Services.Reviews;

public sealed record CreateReviewRequest(long? ArticleId, int? Rating, string? Title, string? Body, bool? Recommended);

public sealed record ReviewDto(long ReviewId, long ProductId, long? ArticleId, int Rating, string? Title, string? Body,
    bool? Recommended, bool VerifiedPurchase, DateTimeOffset CreatedAt);

/// <summary>Reviews: only for articles the customer bought (and did not cancel), one per customer and article.</summary>
public sealed class ReviewService(NpgsqlDataSource db)
{
    /// <summary>Null when the product does not exist.</summary>
    public async Task<ReviewDto?> CreateAsync(long customerId, long productId, long articleId, int rating, string? title, string? body,
        bool? recommended, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using (var check = new NpgsqlCommand("""
            SELECT EXISTS (SELECT 1 FROM product WHERE product_id = @p),
                   EXISTS (SELECT 1 FROM article WHERE article_id = @a AND product_id = @p),
                   EXISTS (SELECT 1 FROM order_line l JOIN orders o USING (order_id)
                           WHERE o.customer_id = @c AND l.article_id = @a AND o.status <> 'cancelled')
            """, conn))
        {
            check.Parameters.AddWithValue("p", productId);
            check.Parameters.AddWithValue("a", articleId);
            check.Parameters.AddWithValue("c", customerId);
            await using var r = await check.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            if (!r.GetBoolean(0)) return null;
            if (!r.GetBoolean(1))
                throw new DomainException(DomainErrorKind.Unprocessable, "Unknown article", $"article {articleId} is not a variant of product {productId}", "articleId");
            if (!r.GetBoolean(2))
                throw new DomainException(DomainErrorKind.Forbidden, "Not purchased", "you can only review articles you have bought");
        }
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO review (product_id, article_id, customer_id, rating, title, body, recommended, source)
            VALUES (@p, @a, @c, @r, @t, @b, @rec, 'store')
            ON CONFLICT (customer_id, article_id) DO NOTHING
            RETURNING review_id, created_at
            """, conn);
        cmd.Parameters.AddWithValue("p", productId);
        cmd.Parameters.AddWithValue("a", articleId);
        cmd.Parameters.AddWithValue("c", customerId);
        cmd.Parameters.AddWithValue("r", (short)rating);
        cmd.Parameters.AddWithValue("t", (object?)title ?? DBNull.Value);
        cmd.Parameters.AddWithValue("b", (object?)body ?? DBNull.Value);
        cmd.Parameters.AddWithValue("rec", (object?)recommended ?? DBNull.Value);
        await using var w = await cmd.ExecuteReaderAsync(ct);
        if (!await w.ReadAsync(ct))
            throw new DomainException(DomainErrorKind.Conflict, "Already reviewed", $"you have already reviewed article {articleId}", "articleId");
        return new ReviewDto(w.GetInt64(0), productId, articleId, rating, title, body, recommended, true, w.GetFieldValue<DateTimeOffset>(1));
    }

    /// <summary>Newest first; null when the product does not exist.</summary>
    public async Task<NumberedPage<ReviewDto>?> ListAsync(long productId, int page, int pageSize, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            "SELECT (SELECT count(*) FROM review WHERE product_id = @p) FROM product WHERE product_id = @p") { Parameters = { new("p", productId) } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT review_id, article_id, rating, title, body, recommended, customer_id IS NOT NULL AND source = 'store', created_at
            FROM review WHERE product_id = @p ORDER BY created_at DESC, review_id DESC OFFSET @o LIMIT @n
            """) { Parameters = { new("p", productId), new("o", (long)(page - 1) * pageSize), new("n", pageSize) } });
        await using var r = await batch.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        var total = r.GetInt64(0);
        await r.NextResultAsync(ct);
        var items = new List<ReviewDto>();
        while (await r.ReadAsync(ct))
            items.Add(new ReviewDto(r.GetInt64(0), productId, r.IsDBNull(1) ? null : r.GetInt64(1), r.GetInt16(2),
                r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetBoolean(5),
                r.GetBoolean(6), r.GetFieldValue<DateTimeOffset>(7)));
        return new NumberedPage<ReviewDto>(items, page, pageSize, total);
    }
}
