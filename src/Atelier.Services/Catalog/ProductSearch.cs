using System.Globalization;
using System.Text;
using Atelier.Services.Api;
using Npgsql;
using NpgsqlTypes;

namespace Atelier.Services.Catalog;

/// <summary>
/// <c>GET /api/products</c>: full-text search on the product tsvector (websearch syntax, so any user text is a
/// valid query), filters over the active articles, and keyset pagination on (sort key, product id).
/// All user input goes through parameters; only fixed SQL fragments are concatenated.
/// </summary>
public sealed class ProductSearch(NpgsqlDataSource db)
{
    public static bool TryParseSort(string? value, bool hasText, out ProductSort sort)
    {
        sort = hasText ? ProductSort.Relevance : ProductSort.Newest;
        switch (value?.ToLowerInvariant())
        {
            case null or "": return true;
            case "relevance": sort = ProductSort.Relevance; return hasText;
            case "price_asc": sort = ProductSort.PriceAsc; return true;
            case "price_desc": sort = ProductSort.PriceDesc; return true;
            case "newest": sort = ProductSort.Newest; return true;
            case "name": sort = ProductSort.Name; return true;
            default: return false;
        }
    }

    /// <summary>Null when the cursor does not decode for this sort order.</summary>
    public async Task<Page<ProductSummary>?> SearchAsync(ProductQuery q, CancellationToken ct)
    {
        var hasText = !string.IsNullOrWhiteSpace(q.Text);
        var sql = new StringBuilder();
        if (q.CategoryId is not null)
            sql.Append("""
                WITH RECURSIVE cats AS (
                    SELECT category_id FROM category WHERE category_id = @cat
                    UNION ALL SELECT c.category_id FROM category c JOIN cats ON c.parent_id = cats.category_id)
                """).Append('\n');
        sql.Append("SELECT * FROM (SELECT p.product_id, p.name, pt.name AS type_name, c.category_id, c.name AS category_name, p.season, ")
           .Append("s.min_price, s.max_price, s.stock, s.variants, ")
           .Append(hasText ? "ts_rank(p.search, websearch_to_tsquery('english', @q)) AS rank " : "0::real AS rank ")
           .Append("""
                FROM product p
                JOIN product_type pt ON pt.product_type_id = p.product_type_id
                JOIN category c ON c.category_id = p.category_id
                JOIN LATERAL (
                    SELECT min(a.price) AS min_price, max(a.price) AS max_price, sum(a.stock)::int AS stock, count(*)::int AS variants
                    FROM article a
                    WHERE a.product_id = p.product_id AND a.is_active
                      AND (@colour::int IS NULL OR a.colour_id = @colour)
                      AND (@minp::numeric IS NULL OR a.price >= @minp)
                      AND (@maxp::numeric IS NULL OR a.price <= @maxp)
                      AND (NOT @instock OR a.stock > 0)
                ) s ON s.variants > 0
                WHERE (@type::int IS NULL OR p.product_type_id = @type)
                  AND (@season::text IS NULL OR p.season = @season)
                """);
        if (hasText) sql.Append(" AND p.search @@ websearch_to_tsquery('english', @q)");
        if (q.CategoryId is not null) sql.Append(" AND p.category_id IN (SELECT category_id FROM cats)");
        sql.Append(") x\n");

        var (keyExpr, order, keyType) = q.Sort switch
        {
            ProductSort.Relevance => ("rank", "rank DESC, product_id", NpgsqlDbType.Real),
            ProductSort.PriceAsc => ("min_price", "min_price, product_id", NpgsqlDbType.Numeric),
            ProductSort.PriceDesc => ("min_price", "min_price DESC, product_id", NpgsqlDbType.Numeric),
            ProductSort.Name => ("name", "name, product_id", NpgsqlDbType.Text),
            _ => ("product_id", "product_id DESC", NpgsqlDbType.Bigint),
        };

        await using var cmd = db.CreateCommand();
        if (q.Cursor is not null)
        {
            if (!Cursor.TryDecode(q.Cursor, out var key, out var lastId)) return null;
            object keyValue;
            switch (keyType)
            {
                case NpgsqlDbType.Real when float.TryParse(key, NumberStyles.Float, CultureInfo.InvariantCulture, out var f): keyValue = f; break;
                case NpgsqlDbType.Numeric when decimal.TryParse(key, NumberStyles.Number, CultureInfo.InvariantCulture, out var m): keyValue = m; break;
                case NpgsqlDbType.Text: keyValue = key; break;
                case NpgsqlDbType.Bigint: keyValue = lastId; break;
                default: return null;
            }
            cmd.Parameters.Add(new NpgsqlParameter("ck", keyType) { Value = keyValue });
            cmd.Parameters.AddWithValue("cid", lastId);
            sql.Append(q.Sort switch
            {
                ProductSort.Relevance => "WHERE (rank < @ck OR (rank = @ck AND product_id > @cid))",
                ProductSort.PriceAsc => "WHERE (min_price, product_id) > (@ck, @cid)",
                ProductSort.PriceDesc => "WHERE (min_price < @ck OR (min_price = @ck AND product_id > @cid))",
                ProductSort.Name => "WHERE (name COLLATE \"C\", product_id) > (@ck, @cid)",
                _ => "WHERE product_id < @cid",
            }).Append('\n');
        }
        if (q.Sort == ProductSort.Name) order = "name COLLATE \"C\", product_id";
        sql.Append("ORDER BY ").Append(order).Append(" LIMIT @limit");
        cmd.CommandText = sql.ToString();
        cmd.Parameters.AddWithValue("cat", (object?)q.CategoryId ?? DBNull.Value);
        cmd.Parameters.Add(new NpgsqlParameter("colour", NpgsqlDbType.Integer) { Value = (object?)q.ColourId ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("type", NpgsqlDbType.Integer) { Value = (object?)q.ProductTypeId ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("minp", NpgsqlDbType.Numeric) { Value = (object?)q.MinPrice ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("maxp", NpgsqlDbType.Numeric) { Value = (object?)q.MaxPrice ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("season", NpgsqlDbType.Text) { Value = (object?)q.Season ?? DBNull.Value });
        cmd.Parameters.AddWithValue("instock", q.InStock);
        cmd.Parameters.AddWithValue("limit", q.Limit + 1);
        if (hasText) cmd.Parameters.AddWithValue("q", q.Text!);

        var items = new List<ProductSummary>(q.Limit + 1);
        var ranks = new List<float>(q.Limit + 1);
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                items.Add(new ProductSummary(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetString(4),
                    r.IsDBNull(5) ? null : r.GetString(5), r.GetDecimal(6), r.GetDecimal(7), r.GetInt32(8), r.GetInt32(9)));
                ranks.Add(r.GetFloat(10));
            }
        string? next = null;
        if (items.Count > q.Limit)
        {
            items.RemoveAt(items.Count - 1);
            var last = items[^1];
            var key = q.Sort switch
            {
                ProductSort.Relevance => ranks[items.Count - 1].ToString("R", CultureInfo.InvariantCulture),
                ProductSort.PriceAsc or ProductSort.PriceDesc => last.MinPrice.ToString(CultureInfo.InvariantCulture),
                ProductSort.Name => last.Name,
                _ => "",
            };
            next = Cursor.Encode(key, last.ProductId);
        }
        return new Page<ProductSummary>(items, next);
    }
}
