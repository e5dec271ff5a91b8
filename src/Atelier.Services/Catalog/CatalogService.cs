using Npgsql;

namespace Atelier.Services.Catalog;

/// <summary>Product detail (variants, stock, ratings) and the category tree.</summary>
public sealed class CatalogService(NpgsqlDataSource db)
{
    public async Task<ProductDetail?> ProductAsync(long productId, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT p.product_id, p.product_code, p.name, p.description, pt.name, c.category_id, c.name, p.season
            FROM product p JOIN product_type pt USING (product_type_id) JOIN category c ON c.category_id = p.category_id
            WHERE p.product_id = @p
            """) { Parameters = { new("p", productId) } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT a.article_id, a.article_code, col.name, a.size, a.price, a.stock
            FROM article a LEFT JOIN colour col USING (colour_id)
            WHERE a.product_id = @p AND a.is_active
            ORDER BY col.name NULLS FIRST, a.size, a.article_id
            """) { Parameters = { new("p", productId) } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            "SELECT rating, count(*)::int FROM review WHERE product_id = @p GROUP BY rating") { Parameters = { new("p", productId) } });
        await using var r = await batch.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        var (id, code, name, description, type, catId, cat, season) = (r.GetInt64(0), r.GetString(1), r.GetString(2),
            r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4), r.GetInt32(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7));
        await r.NextResultAsync(ct);
        var variants = new List<VariantDto>();
        while (await r.ReadAsync(ct))
        {
            var stock = r.GetInt32(5);
            variants.Add(new VariantDto(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3), r.GetDecimal(4), stock, stock > 0));
        }
        await r.NextResultAsync(ct);
        var distribution = new int[5];
        while (await r.ReadAsync(ct)) distribution[r.GetInt16(0) - 1] = r.GetInt32(1);
        var count = distribution.Sum();
        decimal? average = count == 0 ? null
            : Math.Round((decimal)distribution.Select((n, i) => n * (i + 1)).Sum() / count, 2);
        return new ProductDetail(id, code, name, description, type, catId, cat, season, variants, new RatingSummary(count, average, distribution));
    }

    /// <summary>The whole category tree; product counts include subcategories.</summary>
    public async Task<IReadOnlyList<CategoryNode>> CategoriesAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT c.category_id, c.parent_id, c.name, c.slug, count(p.product_id)::int
            FROM category c LEFT JOIN product p ON p.category_id = c.category_id
            GROUP BY c.category_id ORDER BY c.name
            """);
        var rows = new List<(int Id, int? Parent, string Name, string Slug, int Own)>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
                rows.Add((r.GetInt32(0), r.IsDBNull(1) ? null : r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetInt32(4)));
        var children = rows.ToLookup(x => x.Parent ?? 0);
        CategoryNode Build((int Id, int? Parent, string Name, string Slug, int Own) row, int depth)
        {
            var kids = depth > 50 ? [] : children[row.Id].Select(k => Build(k, depth + 1)).ToList();
            return new CategoryNode(row.Id, row.Name, row.Slug, row.Own + kids.Sum(k => k.Products), kids);
        }
        return rows.Where(x => x.Parent is null).Select(x => Build(x, 0)).ToList();
    }
}
