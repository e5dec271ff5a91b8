namespace Atelier.Services.Import;

/// <summary>
/// A retailer's own order CSV through a <see cref="CsvMapping"/>: one order per order_ref (its customer, time and
/// status from its first row), one line per row with the row's quantity and unit price; the SKU must already exist
/// (else quarantined as unknown article); customers are created on first sight. Grouped on the client and inserted
/// through the pipelined order path, like H&amp;M transactions. Times are wall-clock times in the mapping's
/// <c>time_zone</c>, converted by PostgreSQL.
/// </summary>
public sealed class CsvOrdersSource : ClientOrderSource
{
    private readonly CsvMapping _map;
    private readonly Dictionary<string, int> _col;
    private readonly int _fields;
    private Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _articles;
    private char[] _ref = new char[64];
    private char[] _cust = new char[64];

    public CsvOrdersSource(CsvMapping map, string header)
    {
        _map = map;
        (_col, _fields) = map.Resolve(header);
    }

    public override string Kind => "csv-orders";
    public override int ExpectedFields => _fields;
    public override string? LocalTimeZone => _map.TimeZone;
    public override IRecordReader Open(TextReader text) => new CsvRecords(text, _map.Delimiter[0]);

    public override async Task PrepareAsync(Npgsql.NpgsqlConnection conn, CancellationToken ct) =>
        _articles = (await LoadArticlesAsync(conn, null, ct)).GetAlternateLookup<ReadOnlySpan<char>>();

    private ReadOnlySpan<char> F(IRecordReader rec, string field) => _col.TryGetValue(field, out var i) ? rec[i].Trim() : default;

    public override ReadOnlySpan<char> GroupKey(IRecordReader rec) => F(rec, "order_ref");

    public override string? Add(IRecordReader rec, OrderBatch batch)
    {
        var orderRef = F(rec, "order_ref");
        if (orderRef.IsEmpty) return "missing order_ref";
        if (Fields.TooLong(orderRef, "order_ref") is { } longRef) return longRef;
        var customerRef = F(rec, "customer_ref");
        if (customerRef.IsEmpty) return "missing customer_ref";
        if (Fields.TooLong(customerRef, "customer_ref") is { } longCustomer) return longCustomer;
        if (!_articles.TryGetValue(F(rec, "sku"), out var article)) return "unknown article (sku)";
        if (!Fields.Int(F(rec, "quantity"), out var qty) || qty <= 0) return "quantity must be a positive integer";
        if (!Fields.Decimal(F(rec, "unit_price"), out var price)) return "bad unit_price";
        if (price < 0) return "negative price";
        if (!Fields.DateTime(F(rec, "placed_at"), _map.DateFormat, out var at)) return $"bad date (expected {_map.DateFormat})";
        var cancelled = F(rec, "status").Equals("cancelled", StringComparison.OrdinalIgnoreCase);
        var k = batch.OrderK(Concat(ref _ref, _map.RefPrefix, orderRef), Concat(ref _cust, _map.RefPrefix, customerRef),
            DateTime.SpecifyKind(at, DateTimeKind.Utc), 2, cancelled);
        batch.AddLine(k, article, qty, price);
        return null;
    }
}
