using System.Globalization;
using Npgsql;

namespace Atelier.Services.Import;

/// <summary>
/// H&amp;M transactions_train.csv (t_dat, customer_id, article_id, price, sales_channel_id). H&amp;M has no order id:
/// an order is one customer's purchases on one day in one channel. Repeated rows are real extra units (they are
/// summed into the line quantity). Unknown articles are quarantined; unknown customers are created as bare customers.
/// </summary>
public sealed class HmTransactionsSource : ClientOrderSource
{
    private Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _articles;
    private char[] _ref = new char[128];

    public override string Kind => "hm-transactions";
    public override int ExpectedFields => 5;

    public override async Task PrepareAsync(NpgsqlConnection conn, CancellationToken ct) =>
        _articles = (await LoadArticlesAsync(conn, null, ct)).GetAlternateLookup<ReadOnlySpan<char>>();

    public override ReadOnlySpan<char> GroupKey(IRecordReader rec) => rec[0];

    public override string? Add(IRecordReader rec, OrderBatch batch)
    {
        if (!Fields.Date(rec[0], "yyyy-MM-dd", out var day)) return "bad date in t_dat";
        var cust = rec[1].Trim();
        if (cust.IsEmpty) return "missing customer_id";
        if (Fields.TooLong(cust, "customer_id") is { } tooLong) return tooLong;
        if (!_articles.TryGetValue(rec[2].Trim(), out var articleId)) return "unknown article_id";
        if (!Fields.Double(rec[3], out var price)) return "bad price";
        if (price < 0) return "negative price";
        if (!Fields.Int(rec[4], out var channel) || channel is not (1 or 2)) return "sales_channel_id must be 1 or 2";
        // external_ref = hm:<customer>:<yyyy-MM-dd>:<channel>, built in a reused buffer (no string unless the order is new).
        var need = cust.Length + 16;
        if (_ref.Length < need) _ref = new char[need * 2];
        var r = _ref.AsSpan();
        "hm:".CopyTo(r);
        cust.CopyTo(r[3..]);
        var n = 3 + cust.Length;
        r[n++] = ':';
        day.TryFormat(r[n..], out var w, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        n += w;
        r[n++] = ':';
        r[n++] = (char)('0' + channel);
        var k = batch.OrderK(r[..n], cust, day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), (short)channel, false);
        batch.AddUnit(k, articleId, price);
        return null;
    }
}
