using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Atelier.Services.Import;

/// <summary>
/// UCI Online Retail (InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country).
/// Invoices become orders (times are UK local time); "C…" invoices become cancelled orders with positive quantities;
/// rows without CustomerID belong to one "uci:guest" customer; every StockCode (incl. POST, M, DOT, … ) becomes an
/// article, service codes under the "Non-product charges" category. Quarantined: negative prices (bad-debt
/// adjustments), negative quantities outside a cancellation (stock write-offs), unparsable fields.
/// Exact duplicate rows inside an invoice are counted as duplicates. Grouped on the client and inserted through the
/// pipelined order path; the articles a batch introduces are created in file order just before its orders.
/// </summary>
public sealed class OnlineRetailSource : ClientOrderSource
{
    private const string CodePrefix = "UCI-";
    private int _category;
    private int _serviceCategory;
    private Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _articles;
    private char[] _code = new char[32];
    private char[] _ref = new char[32];
    private char[] _cust = new char[32];
    // The valid rows of the batch being read, to find exact duplicates (batches end between invoices).
    private readonly HashSet<string> _rowsOfBatch = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _rowLookup;
    private OrderBatch? _rowsBatch;
    private char[] _row = new char[256];

    public OnlineRetailSource() => _rowLookup = _rowsOfBatch.GetAlternateLookup<ReadOnlySpan<char>>();

    public override string Kind => "online-retail";
    public override int ExpectedFields => 8;
    public override string? LocalTimeZone => "Europe/London";

    public override async Task PrepareAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var root = await EnsureRootCategoryAsync(conn, "Online Retail", ct);
        await ExecAsync(conn, """
            INSERT INTO category (parent_id, name, slug) VALUES (@r, 'Gifts and homeware', 'online-retail-gifts'),
                                                               (@r, 'Non-product charges', 'online-retail-charges') ON CONFLICT DO NOTHING
            """, ct, ("r", root));
        _category = (int)await ScalarAsync(conn, "SELECT category_id FROM category WHERE slug = 'online-retail-gifts'", ct);
        _serviceCategory = (int)await ScalarAsync(conn, "SELECT category_id FROM category WHERE slug = 'online-retail-charges'", ct);
        // Read-only from here on (the reader runs ahead of the inserts): codes new since then are created per batch.
        _articles = (await LoadArticlesAsync(conn, CodePrefix, ct)).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public override ReadOnlySpan<char> GroupKey(IRecordReader rec) => rec[0];

    public override string? Add(IRecordReader rec, OrderBatch batch)
    {
        var invoice = rec[0].Trim();
        var cancelled = invoice.Length > 0 && invoice[0] == 'C';
        var digits = cancelled || (invoice.Length > 0 && invoice[0] == 'A') ? invoice[1..] : invoice;
        if (digits.IsEmpty || !Fields.Long(digits, out _)) return "bad InvoiceNo";
        var stock = rec[1].Trim();
        if (stock.IsEmpty) return "missing StockCode";
        if (Fields.TooLong(stock, "StockCode") is { } tooLong) return tooLong;
        if (!Fields.Int(rec[3], out var qty) || qty == 0) return "bad Quantity";
        if (!Fields.DateTime(rec[4], "yyyy-MM-dd HH:mm:ss", out var at)) return "bad InvoiceDate";
        if (!Fields.Decimal(rec[5], out var price)) return "bad UnitPrice";
        if (price < 0) return "negative price";
        if (qty < 0 && !cancelled) return "negative quantity outside a cancellation";
        if (qty > 0 && cancelled) return "positive quantity in a cancellation";
        long customerId = 0;
        var hasCustomer = !rec[6].Trim().IsEmpty;
        if (hasCustomer && (!Fields.WholeNumber(rec[6], out customerId) || customerId <= 0)) return "bad CustomerID";
        var code = Concat(ref _code, CodePrefix, stock);
        var article = _articles.TryGetValue(code, out var known)
            ? known
            : batch.NewArticle(code, rec[2].Trim(), price, !IsProductCode(stock));
        Span<char> id = stackalloc char[20];
        var cust = hasCustomer && customerId.TryFormat(id, out var n, default, CultureInfo.InvariantCulture)
            ? Concat(ref _cust, "uci:", id[..n]) : "uci:guest";
        var k = batch.OrderK(Concat(ref _ref, "uci:", invoice), cust, DateTime.SpecifyKind(at, DateTimeKind.Utc), 2, cancelled);

        // An exact repeat of a row of the same invoice (all fields but the country; the price as numeric(12, 4) stores
        // it) is a duplicate, not another line.
        if (!ReferenceEquals(batch, _rowsBatch))
        {
            _rowsOfBatch.Clear();
            _rowsBatch = batch;
        }
        if (!_rowLookup.Add(RowKey(invoice, stock, rec[2].Trim(), Math.Abs(qty), at, price, cust)))
        {
            batch.Duplicate();
            return null;
        }
        batch.AddLine(k, article, Math.Abs(qty), price);
        return null;
    }

    /// <summary>Creates the products and articles the batch introduces (the first row with a description names the
    /// product; the first row's price is the article's), then gives the lines their ids.</summary>
    public override async Task BeforeBatchAsync(NpgsqlConnection conn, OrderBatch batch, CancellationToken ct)
    {
        if (batch.NewArticles.Count == 0) return;
        await using (var w = await conn.BeginBinaryImportAsync("COPY ba FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (code, a) in batch.NewArticles)
            {
                w.StartRow();
                w.Write(a.Placeholder, NpgsqlDbType.Bigint);
                w.Write(code, NpgsqlDbType.Text);
                if (a.Description is { } d) w.Write(d, NpgsqlDbType.Text); else w.WriteNull();
                w.Write(a.Price, NpgsqlDbType.Numeric);
                w.Write(a.Service, NpgsqlDbType.Boolean);
            }
            await w.CompleteAsync(ct);
        }
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO product (product_code, name, product_type_id, category_id)
            SELECT code, left(coalesce(descr, substr(code, 5)), 200), 0, CASE WHEN service THEN @s ELSE @c END FROM ba
            ON CONFLICT (product_code) DO NOTHING;
            INSERT INTO article (article_code, product_id, price)
            SELECT b.code, p.product_id, b.price FROM ba b JOIN product p ON p.product_code = b.code
            ON CONFLICT DO NOTHING;
            SELECT b.placeholder, a.article_id FROM ba b JOIN article a ON a.article_code = b.code;
            """, conn);
        cmd.CommandTimeout = 0;
        cmd.Parameters.AddWithValue("c", _category);
        cmd.Parameters.AddWithValue("s", _serviceCategory);
        var ids = new Dictionary<long, long>(batch.NewArticles.Count);
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (r.FieldCount == 0 && await r.NextResultAsync(ct)) { }
            while (await r.ReadAsync(ct)) ids[r.GetInt64(0)] = r.GetInt64(1);
        }
        batch.ResolveArticles(ids);
    }

    /// <summary>Product stock codes start with five digits (85123A, 22423); the rest (POST, M, DOT, …) are charges.</summary>
    private static bool IsProductCode(ReadOnlySpan<char> stock)
    {
        if (stock.Length < 5) return false;
        foreach (var c in stock[..5]) if (c is < '0' or > '9') return false;
        return true;
    }

    /// <summary>The fields that make a row an exact duplicate, in a reused buffer (one string per distinct row, made by
    /// the set). The price is written as numeric(12, 4) stores it; an empty description differs from any text.</summary>
    private ReadOnlySpan<char> RowKey(ReadOnlySpan<char> invoice, ReadOnlySpan<char> stock, ReadOnlySpan<char> description, int qty,
        DateTime at, decimal price, ReadOnlySpan<char> customer)
    {
        var need = invoice.Length + stock.Length + description.Length + customer.Length + 96;
        if (_row.Length < need) _row = new char[need * 2];
        var w = _row.AsSpan();
        var n = 0;
        void Field(ReadOnlySpan<char> f, Span<char> to)
        {
            f.CopyTo(to[n..]);
            n += f.Length;
            to[n++] = '\u001f';
        }
        Field(invoice, w);
        Field(stock, w);
        if (description.IsEmpty) w[n++] = '\u0000';
        Field(description, w);
        qty.TryFormat(w[n..], out var c, default, CultureInfo.InvariantCulture); n += c; w[n++] = '\u001f';
        at.TryFormat(w[n..], out c, "O", CultureInfo.InvariantCulture); n += c; w[n++] = '\u001f';
        decimal.Round(price, 4, MidpointRounding.AwayFromZero).TryFormat(w[n..], out c, "0.####", CultureInfo.InvariantCulture); n += c;
        w[n++] = '\u001f';
        Field(customer, w);
        return w[..n];
    }
}
