using Npgsql;

namespace Atelier.Services.Catalog;

public sealed record ProductCard(long ProductId, string Name, string ProductType, string Category, decimal MinPrice, int Stock, int Variants);

public sealed record StoreStats(long Products, long Articles, long Customers, long Orders, decimal Revenue);

/// <summary>Read-side catalogue queries for the storefront pages.</summary>
public sealed class CatalogQueries(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<ProductCard>> FeaturedAsync(int count, CancellationToken ct)
    {
        const string sql = """
            SELECT p.product_id, p.name, pt.name, c.name, min(a.price), sum(a.stock)::int, count(*)::int
            FROM product p
            JOIN product_type pt ON pt.product_type_id = p.product_type_id
            JOIN category c ON c.category_id = p.category_id
            JOIN article a ON a.product_id = p.product_id AND a.is_active
            LEFT JOIN top_selling_products t ON t.product_id = p.product_id
            GROUP BY p.product_id, pt.name, c.name, t.sales_rank
            ORDER BY t.sales_rank NULLS LAST, p.product_id
            LIMIT @n
            """;
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.AddWithValue("n", count);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<ProductCard>();
        while (await r.ReadAsync(ct))
            list.Add(new ProductCard(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetDecimal(4), r.GetInt32(5), r.GetInt32(6)));
        return list;
    }

    public async Task<StoreStats> StatsAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT (SELECT count(*) FROM product), (SELECT count(*) FROM article), (SELECT count(*) FROM customer),
                   (SELECT count(*) FROM orders), (SELECT coalesce(sum(revenue), 0) FROM daily_revenue)
            """;
        await using var cmd = dataSource.CreateCommand(sql);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new StoreStats(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetDecimal(4));
    }
}
