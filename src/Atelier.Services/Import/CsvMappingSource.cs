using Npgsql;
using NpgsqlTypes;

namespace Atelier.Services.Import;

/// <summary>
/// A retailer's own CSV through a <see cref="CsvMapping"/>. Products: one product per product_code (default: the
/// SKU) and one article per SKU under the category tree Imported › category. Orders: one order per order_ref, one line
/// per row; the SKU must already exist (else quarantined as unknown article), customers are created on first sight.
/// </summary>
public sealed class CsvMappingSource : ImportSource
{
    private readonly CsvMapping _map;
    private readonly Dictionary<string, int> _col = [];
    private readonly int _fields;
    private Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _articles;
    private int _root;

    public CsvMappingSource(CsvMapping map, string header)
    {
        _map = map;
        var names = header.Split(map.Delimiter[0]).Select(h => h.Trim().Trim('"')).ToList();
        _fields = names.Count;
        foreach (var (field, column) in map.Columns)
        {
            var i = names.IndexOf(column);
            if (i < 0) throw new ImportFormatException($"mapping: column '{column}' (for {field}) is not in the header");
            _col[field] = i;
        }
    }

    private bool IsOrders => _map.Entity == "orders";
    public override string Kind => "csv-" + _map.Entity;
    public override int ExpectedFields => _fields;
    public override IRecordReader Open(TextReader text) => new CsvRecords(text, _map.Delimiter[0]);
    public override string StagingColumns => IsOrders
        ? "line integer, ref text, cust text, article_id bigint, qty integer, price numeric(12, 4), at timestamp, cancelled boolean"
        : "line integer, sku text, product_code text, name text, price numeric(12, 4), category text, descr text, size text";

    public override async Task PrepareAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        _root = await EnsureRootCategoryAsync(conn, "Imported", ct);
        if (IsOrders) _articles = (await LoadArticlesAsync(conn, null, ct)).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    private ReadOnlySpan<char> F(IRecordReader rec, string field) => _col.TryGetValue(field, out var i) ? rec[i].Trim() : default;

    public override ReadOnlySpan<char> GroupKey(IRecordReader rec) => IsOrders ? F(rec, "order_ref") : default;

    public override string? Stage(IRecordReader rec, NpgsqlBinaryImporter w) => IsOrders ? StageOrder(rec, w) : StageProduct(rec, w);

    private string? StageOrder(IRecordReader rec, NpgsqlBinaryImporter w)
    {
        if (F(rec, "order_ref").IsEmpty) return "missing order_ref";
        if (F(rec, "customer_ref").IsEmpty) return "missing customer_ref";
        if (!_articles.TryGetValue(F(rec, "sku"), out var article)) return "unknown article (sku)";
        if (!Fields.Int(F(rec, "quantity"), out var qty) || qty <= 0) return "quantity must be a positive integer";
        if (!Fields.Decimal(F(rec, "unit_price"), out var price)) return "bad unit_price";
        if (price < 0) return "negative price";
        if (!Fields.DateTime(F(rec, "placed_at"), _map.DateFormat, out var at)) return $"bad date (expected {_map.DateFormat})";
        var cancelled = F(rec, "status").Equals("cancelled", StringComparison.OrdinalIgnoreCase);
        w.StartRow();
        w.Write(rec.LineNumber, NpgsqlDbType.Integer);
        w.Write(_map.RefPrefix + new string(F(rec, "order_ref")), NpgsqlDbType.Text);
        w.Write(_map.RefPrefix + new string(F(rec, "customer_ref")), NpgsqlDbType.Text);
        w.Write(article, NpgsqlDbType.Bigint);
        w.Write(qty, NpgsqlDbType.Integer);
        w.Write(price, NpgsqlDbType.Numeric);
        w.Write(at, NpgsqlDbType.Timestamp);
        w.Write(cancelled, NpgsqlDbType.Boolean);
        return null;
    }

    private string? StageProduct(IRecordReader rec, NpgsqlBinaryImporter w)
    {
        var sku = F(rec, "sku");
        if (sku.IsEmpty) return "missing sku";
        var name = F(rec, "name");
        if (name.IsEmpty || name.Length > 200) return "name must have 1..200 characters";
        if (!Fields.Decimal(F(rec, "price"), out var price)) return "bad price";
        if (price < 0) return "negative price";
        var size = F(rec, "size");
        if (size.Length > 20) return "size longer than 20 characters";
        var code = F(rec, "product_code");
        w.StartRow();
        w.Write(rec.LineNumber, NpgsqlDbType.Integer);
        w.Write(new string(sku), NpgsqlDbType.Text);
        w.Write(new string(code.IsEmpty ? sku : code), NpgsqlDbType.Text);
        w.Write(new string(name), NpgsqlDbType.Text);
        w.Write(price, NpgsqlDbType.Numeric);
        w.Write(F(rec, "category").IsEmpty ? "Uncategorised" : new string(F(rec, "category")), NpgsqlDbType.Text);
        if (F(rec, "description").IsEmpty) w.WriteNull(); else w.Write(new string(F(rec, "description")), NpgsqlDbType.Text);
        w.Write(size.IsEmpty ? "ONE SIZE" : new string(size), NpgsqlDbType.Text);
        return null;
    }

    public override async Task<long> MergeAsync(NpgsqlConnection conn, long fileId, CancellationToken ct)
    {
        if (IsOrders)
        {
            await ExecAsync(conn, OrderMerge.CreateTables + """
                INSERT INTO oh SELECT DISTINCT ON (ref) ref, cust, at AT TIME ZONE @tz, 2, cancelled FROM stage ORDER BY ref, line;
                INSERT INTO ol SELECT ref, article_id, qty, price, line, 1 FROM stage;
                """, ct, ("tz", _map.TimeZone));
            return await OrderMerge.MergeAsync(conn, fileId, ct);
        }
        return await ScalarAsync(conn, """
            INSERT INTO category (parent_id, name, slug)
            SELECT DISTINCT @r, category, 'imported-' || atelier_slug(category) FROM stage ON CONFLICT DO NOTHING;
            INSERT INTO product (product_code, name, description, product_type_id, category_id)
            SELECT DISTINCT ON (s.product_code) s.product_code, s.name, s.descr, 0, c.category_id
            FROM stage s JOIN category c ON c.parent_id = @r AND c.name = s.category
            ORDER BY s.product_code, s.line ON CONFLICT (product_code) DO NOTHING;
            WITH ins AS (
                INSERT INTO article (article_code, product_id, size, price)
                SELECT DISTINCT ON (s.sku) s.sku, p.product_id, s.size, s.price
                FROM stage s JOIN product p ON p.product_code = s.product_code ORDER BY s.sku, s.line
                ON CONFLICT DO NOTHING RETURNING 1)
            SELECT count(*) FROM ins;
            """, ct, ("r", _root));
    }
}
