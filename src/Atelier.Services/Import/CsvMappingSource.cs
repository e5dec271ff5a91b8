using Npgsql;
using NpgsqlTypes;

namespace Atelier.Services.Import;

/// <summary>
/// A retailer's own product CSV through a <see cref="CsvMapping"/>: one product per product_code (default: the SKU)
/// and one article per SKU under the category tree Imported › category. Order files go through
/// <see cref="CsvOrdersSource"/>.
/// </summary>
public sealed class CsvMappingSource : ImportSource
{
    private readonly Dictionary<string, int> _col;
    private readonly int _fields;
    private int _root;

    public CsvMappingSource(CsvMapping map, string header)
    {
        Mapping = map;
        (_col, _fields) = map.Resolve(header);
    }

    public CsvMapping Mapping { get; }
    public override string Kind => "csv-products";
    public override int ExpectedFields => _fields;
    public override IRecordReader Open(TextReader text) => new CsvRecords(text, Mapping.Delimiter[0]);
    public override string StagingColumns =>
        "line integer, sku text, product_code text, name text, price numeric(12, 4), category text, descr text, size text";

    public override async Task PrepareAsync(NpgsqlConnection conn, CancellationToken ct) =>
        _root = await EnsureRootCategoryAsync(conn, "Imported", ct);

    private ReadOnlySpan<char> F(IRecordReader rec, string field) => _col.TryGetValue(field, out var i) ? rec[i].Trim() : default;

    public override ReadOnlySpan<char> GroupKey(IRecordReader rec) => default;

    public override string? Stage(IRecordReader rec, NpgsqlBinaryImporter w)
    {
        var sku = F(rec, "sku");
        if (sku.IsEmpty) return "missing sku";
        if (Fields.TooLong(sku, "sku") is { } longSku) return longSku;
        if (Fields.TooLong(F(rec, "product_code"), "product_code") is { } longCode) return longCode;
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

    public override async Task<long> MergeAsync(NpgsqlConnection conn, long fileId, CancellationToken ct) =>
        await ScalarAsync(conn, """
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
