using Npgsql;
using NpgsqlTypes;

namespace Atelier.Services.Import;

/// <summary>
/// UCI Online Retail (InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country).
/// Invoices become orders (times are UK local time); "C…" invoices become cancelled orders with positive quantities;
/// rows without CustomerID belong to one "uci:guest" customer; every StockCode (incl. POST, M, DOT, … ) becomes an
/// article, service codes under the "Non-product charges" category. Quarantined: negative prices (bad-debt
/// adjustments), negative quantities outside a cancellation (stock write-offs), unparsable fields.
/// Exact duplicate rows inside an invoice are counted as duplicates.
/// </summary>
public sealed class OnlineRetailSource : ImportSource
{
    private int _category;
    private int _serviceCategory;

    public override string Kind => "online-retail";
    public override int ExpectedFields => 8;
    public override string StagingColumns =>
        "line integer, invoice text, cancelled boolean, stock text, descr text, qty integer, at timestamp, price numeric(12, 4), cust text";

    public override async Task PrepareAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var root = await EnsureRootCategoryAsync(conn, "Online Retail", ct);
        await ExecAsync(conn, """
            INSERT INTO category (parent_id, name, slug) VALUES (@r, 'Gifts and homeware', 'online-retail-gifts'),
                                                               (@r, 'Non-product charges', 'online-retail-charges') ON CONFLICT DO NOTHING
            """, ct, ("r", root));
        _category = (int)await ScalarAsync(conn, "SELECT category_id FROM category WHERE slug = 'online-retail-gifts'", ct);
        _serviceCategory = (int)await ScalarAsync(conn, "SELECT category_id FROM category WHERE slug = 'online-retail-charges'", ct);
    }

    public override ReadOnlySpan<char> GroupKey(IRecordReader rec) => rec[0];

    public override string? Stage(IRecordReader rec, NpgsqlBinaryImporter w)
    {
        var invoice = rec[0].Trim();
        var cancelled = invoice.Length > 0 && invoice[0] == 'C';
        var digits = cancelled || (invoice.Length > 0 && invoice[0] == 'A') ? invoice[1..] : invoice;
        if (digits.IsEmpty || !Fields.Long(digits, out _)) return "bad InvoiceNo";
        var stock = rec[1].Trim();
        if (stock.IsEmpty) return "missing StockCode";
        if (!Fields.Int(rec[3], out var qty) || qty == 0) return "bad Quantity";
        if (!Fields.DateTime(rec[4], "yyyy-MM-dd HH:mm:ss", out var at)) return "bad InvoiceDate";
        if (!Fields.Decimal(rec[5], out var price)) return "bad UnitPrice";
        if (price < 0) return "negative price";
        if (qty < 0 && !cancelled) return "negative quantity outside a cancellation";
        if (qty > 0 && cancelled) return "positive quantity in a cancellation";
        string? cust = null;
        if (!rec[6].Trim().IsEmpty)
        {
            if (!Fields.WholeNumber(rec[6], out var id) || id <= 0) return "bad CustomerID";
            cust = "uci:" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        w.StartRow();
        w.Write(rec.LineNumber, NpgsqlDbType.Integer);
        w.Write(new string(invoice), NpgsqlDbType.Text);
        w.Write(cancelled, NpgsqlDbType.Boolean);
        w.Write(new string(stock), NpgsqlDbType.Text);
        if (Fields.NullIfEmpty(rec[2]) is { } d) w.Write(d, NpgsqlDbType.Text); else w.WriteNull();
        w.Write(Math.Abs(qty), NpgsqlDbType.Integer);
        w.Write(at, NpgsqlDbType.Timestamp);
        w.Write(price, NpgsqlDbType.Numeric);
        w.Write(cust ?? "uci:guest", NpgsqlDbType.Text);
        return null;
    }

    public override async Task<long> MergeAsync(NpgsqlConnection conn, long fileId, CancellationToken ct)
    {
        await ExecAsync(conn, OrderMerge.CreateTables + """
            INSERT INTO product (product_code, name, product_type_id, category_id)
            SELECT DISTINCT ON (stock) 'UCI-' || stock, left(coalesce(descr, stock), 200), 0,
                   CASE WHEN stock ~ '^[0-9]{5}' THEN @c ELSE @s END
            FROM stage ORDER BY stock, descr IS NULL, line
            ON CONFLICT (product_code) DO NOTHING;
            INSERT INTO article (article_code, product_id, price)
            SELECT DISTINCT ON (s.stock) 'UCI-' || s.stock, p.product_id, s.price
            FROM stage s JOIN product p ON p.product_code = 'UCI-' || s.stock ORDER BY s.stock, s.line
            ON CONFLICT DO NOTHING;
            INSERT INTO oh SELECT DISTINCT ON (invoice) 'uci:' || invoice, cust, at AT TIME ZONE 'Europe/London', 2, cancelled
            FROM stage ORDER BY invoice, line;
            INSERT INTO ol
            SELECT DISTINCT ON (s.invoice, s.stock, s.descr, s.qty, s.at, s.price, s.cust)
                   'uci:' || s.invoice, a.article_id, s.qty, s.price, s.line, 1
            FROM stage s JOIN article a ON a.article_code = 'UCI-' || s.stock
            ORDER BY s.invoice, s.stock, s.descr, s.qty, s.at, s.price, s.cust, s.line;
            """, ct, ("c", _category), ("s", _serviceCategory));
        return await OrderMerge.MergeAsync(conn, fileId, ct);
    }
}
