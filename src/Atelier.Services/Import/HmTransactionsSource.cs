using Npgsql;
using NpgsqlTypes;

namespace Atelier.Services.Import;

/// <summary>
/// H&amp;M transactions_train.csv (t_dat, customer_id, article_id, price, sales_channel_id). H&amp;M has no order id:
/// an order is one customer's purchases on one day in one channel. Repeated rows are real extra units (they are
/// summed into the line quantity). Unknown articles are quarantined; unknown customers are created as bare customers.
/// </summary>
public sealed class HmTransactionsSource : ImportSource
{
    private Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _articles;

    public override string Kind => "hm-transactions";
    public override int ExpectedFields => 5;
    public override string StagingColumns => "line integer, day date, cust text, article_id bigint, price double precision, channel smallint";

    public override async Task PrepareAsync(NpgsqlConnection conn, CancellationToken ct) =>
        _articles = (await LoadArticlesAsync(conn, null, ct)).GetAlternateLookup<ReadOnlySpan<char>>();

    public override ReadOnlySpan<char> GroupKey(IRecordReader rec) => rec[0];

    public override string? Stage(IRecordReader rec, NpgsqlBinaryImporter w)
    {
        if (!Fields.Date(rec[0], "yyyy-MM-dd", out var day)) return "bad date in t_dat";
        var cust = rec[1].Trim();
        if (cust.IsEmpty) return "missing customer_id";
        if (!_articles.TryGetValue(rec[2].Trim(), out var articleId)) return "unknown article_id";
        if (!Fields.Double(rec[3], out var price)) return "bad price";
        if (price < 0) return "negative price";
        if (!Fields.Int(rec[4], out var channel) || channel is not (1 or 2)) return "sales_channel_id must be 1 or 2";
        w.StartRow();
        w.Write(rec.LineNumber, NpgsqlDbType.Integer);
        w.Write(day, NpgsqlDbType.Date);
        w.Write(new string(cust), NpgsqlDbType.Text);
        w.Write(articleId, NpgsqlDbType.Bigint);
        w.Write(price, NpgsqlDbType.Double);
        w.Write((short)channel, NpgsqlDbType.Smallint);
        return null;
    }

    public override async Task<long> MergeAsync(NpgsqlConnection conn, long fileId, CancellationToken ct)
    {
        await ExecAsync(conn, OrderMerge.CreateTables + """
            INSERT INTO oh SELECT DISTINCT ON (ref) ref, cust, day::timestamp AT TIME ZONE 'UTC', channel, false
            FROM (SELECT 'hm:' || cust || ':' || day || ':' || channel AS ref, cust, day, channel FROM stage) s;
            INSERT INTO ol
            SELECT 'hm:' || cust || ':' || day || ':' || channel, article_id, count(*), round(avg(price)::numeric, 4), min(line), count(*)
            FROM stage GROUP BY cust, day, channel, article_id;
            """, ct);
        return await OrderMerge.MergeAsync(conn, fileId, ct);
    }
}
