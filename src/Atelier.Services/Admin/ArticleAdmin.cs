using Atelier.Services.Api;
using Npgsql;

namespace Atelier.Services.Admin;

/// <summary>Article (variant) and stock maintenance for sellers and admins.</summary>
public sealed class ArticleAdmin(NpgsqlDataSource db)
{
    private const string Select = """
        SELECT a.article_id, a.article_code, a.product_id, p.name, a.colour_id, a.size, a.price, a.stock, a.reorder_level, a.is_active
        FROM article a JOIN product p USING (product_id)
        """;

    private static ArticleDto Read(NpgsqlDataReader r) => new(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetString(3),
        r.IsDBNull(4) ? null : r.GetInt32(4), r.GetString(5), r.GetDecimal(6), r.GetInt32(7), r.GetInt32(8), r.GetBoolean(9));

    public async Task<IReadOnlyList<ArticleDto>?> ListAsync(long productId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"{Select} WHERE a.product_id = @p ORDER BY a.article_id");
        cmd.Parameters.AddWithValue("p", productId);
        var list = new List<ArticleDto>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) list.Add(Read(r));
        return list;
    }

    public async Task<ArticleDto?> GetAsync(long articleId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"{Select} WHERE a.article_id = @a");
        cmd.Parameters.AddWithValue("a", articleId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Read(r) : null;
    }

    public async Task<ArticleDto> CreateAsync(CreateArticleRequest q, CancellationToken ct)
    {
        await using (var check = db.CreateCommand("""
            SELECT EXISTS (SELECT 1 FROM product WHERE product_id = @p), @c::int IS NULL OR EXISTS (SELECT 1 FROM colour WHERE colour_id = @c)
            """))
        {
            check.Parameters.AddWithValue("p", q.ProductId!.Value);
            check.Parameters.Add(new NpgsqlParameter("c", NpgsqlTypes.NpgsqlDbType.Integer) { Value = (object?)q.ColourId ?? DBNull.Value });
            await using var r = await check.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            if (!r.GetBoolean(0)) throw new DomainException(DomainErrorKind.Unprocessable, "Unknown product", $"product {q.ProductId} does not exist", "productId");
            if (!r.GetBoolean(1)) throw new DomainException(DomainErrorKind.Unprocessable, "Unknown colour", $"colour {q.ColourId} does not exist", "colourId");
        }
        await using var cmd = db.CreateCommand("""
            INSERT INTO article (article_code, product_id, colour_id, size, price, stock, reorder_level)
            VALUES (@code, @p, @c, @s, @price, @stock, @rl) RETURNING article_id
            """);
        cmd.Parameters.AddWithValue("code", q.ArticleCode!);
        cmd.Parameters.AddWithValue("p", q.ProductId!.Value);
        cmd.Parameters.Add(new NpgsqlParameter("c", NpgsqlTypes.NpgsqlDbType.Integer) { Value = (object?)q.ColourId ?? DBNull.Value });
        cmd.Parameters.AddWithValue("s", q.Size ?? "ONE SIZE");
        cmd.Parameters.AddWithValue("price", q.Price!.Value);
        cmd.Parameters.AddWithValue("stock", q.Stock ?? 0);
        cmd.Parameters.AddWithValue("rl", q.ReorderLevel ?? 5);
        try
        {
            var id = (long)(await cmd.ExecuteScalarAsync(ct))!;
            return (await GetAsync(id, ct))!;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Duplicate article",
                "an article with this code, or this product/colour/size combination, already exists", "articleCode");
        }
    }

    public async Task<ArticleDto?> UpdateAsync(long articleId, UpdateArticleRequest q, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            UPDATE article SET price = coalesce(@price, price), reorder_level = coalesce(@rl, reorder_level), is_active = coalesce(@act, is_active)
            WHERE article_id = @a
            """);
        cmd.Parameters.AddWithValue("a", articleId);
        cmd.Parameters.Add(new NpgsqlParameter("price", NpgsqlTypes.NpgsqlDbType.Numeric) { Value = (object?)q.Price ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("rl", NpgsqlTypes.NpgsqlDbType.Integer) { Value = (object?)q.ReorderLevel ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("act", NpgsqlTypes.NpgsqlDbType.Boolean) { Value = (object?)q.IsActive ?? DBNull.Value });
        return await cmd.ExecuteNonQueryAsync(ct) == 0 ? null : await GetAsync(articleId, ct);
    }

    /// <summary>Set-based stock change; a delta that would go below zero is refused by the CHECK constraint (409).</summary>
    public async Task<ArticleDto?> SetStockAsync(long articleId, StockRequest q, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("UPDATE article SET stock = coalesce(@s, stock + @d) WHERE article_id = @a");
        cmd.Parameters.AddWithValue("a", articleId);
        cmd.Parameters.Add(new NpgsqlParameter("s", NpgsqlTypes.NpgsqlDbType.Integer) { Value = (object?)q.Stock ?? DBNull.Value });
        cmd.Parameters.AddWithValue("d", q.Delta ?? 0);
        try
        {
            return await cmd.ExecuteNonQueryAsync(ct) == 0 ? null : await GetAsync(articleId, ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.CheckViolation)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Insufficient stock", $"stock of article {articleId} cannot go below zero", "delta");
        }
    }

    /// <summary>Articles that were ordered stay (order lines reference them): deleting deactivates them.</summary>
    public async Task<bool> DeactivateAsync(long articleId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("UPDATE article SET is_active = false WHERE article_id = @a");
        cmd.Parameters.AddWithValue("a", articleId);
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }
}
