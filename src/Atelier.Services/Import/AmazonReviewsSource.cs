using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Atelier.Services.Import;

/// <summary>
/// Amazon review JSON lines (overall, reviewerID, asin, reviewText, summary, unixReviewTime, style) → a product per
/// ASIN ("AMZ-" + asin), a customer per reviewer ("amazon:" + reviewerID), one review per line. The review key is a
/// hash of the whole line, so exact duplicate lines (68 in the 5-core file) are duplicates and nothing else is.
/// </summary>
public sealed class AmazonReviewsSource : ImportSource
{
    private static readonly string[] Keys = ["overall", "reviewerID", "asin", "reviewText", "summary", "unixReviewTime", "style"];
    private int _root;

    public override string Kind => "reviews-amazon";
    public override int ExpectedFields => Keys.Length;
    public override bool HasHeader => false;
    public override string StagingColumns =>
        "line integer, ext text, reviewer text, asin text, rating smallint, title text, body text, at timestamptz";

    public override IRecordReader Open(TextReader text) => new JsonLinesRecords(text, Keys);

    public override async Task PrepareAsync(NpgsqlConnection conn, CancellationToken ct) =>
        _root = await EnsureRootCategoryAsync(conn, "Amazon Fashion", ct);

    public override string? Stage(IRecordReader rec, NpgsqlBinaryImporter w)
    {
        if (!Fields.Double(rec[0], out var overall) || overall is < 1 or > 5 || overall != Math.Floor(overall)) return "overall must be 1..5";
        if (rec[1].Trim().IsEmpty) return "missing reviewerID";
        if (rec[2].Trim().IsEmpty) return "missing asin";
        if (!Fields.Long(rec[5], out var unix) || unix <= 0) return "bad unixReviewTime";
        var body = Fields.NullIfEmpty(rec[3]);
        if (Fields.NullIfEmpty(rec[6]) is { } style) body = body is null ? $"[{style}]" : $"{body} [{style}]";
        w.StartRow();
        w.Write(rec.LineNumber, NpgsqlDbType.Integer);
        w.Write(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(rec.RawRecord.Trim())))[..24], NpgsqlDbType.Text);
        w.Write(new string(rec[1].Trim()), NpgsqlDbType.Text);
        w.Write(new string(rec[2].Trim()), NpgsqlDbType.Text);
        w.Write((short)overall, NpgsqlDbType.Smallint);
        if (Fields.NullIfEmpty(rec[4]) is { } t) w.Write(t, NpgsqlDbType.Text); else w.WriteNull();
        if (body is null) w.WriteNull(); else w.Write(body, NpgsqlDbType.Text);
        w.Write(DateTimeOffset.FromUnixTimeSeconds(unix).UtcDateTime, NpgsqlDbType.TimestampTz);
        return null;
    }

    public override async Task<long> MergeAsync(NpgsqlConnection conn, long fileId, CancellationToken ct) =>
        await ScalarAsync(conn, """
            INSERT INTO product (product_code, name, product_type_id, category_id)
            SELECT DISTINCT 'AMZ-' || asin, 'Amazon fashion item ' || asin, 0, @r FROM stage ON CONFLICT (product_code) DO NOTHING;
            INSERT INTO customer (external_ref) SELECT DISTINCT 'amazon:' || reviewer FROM stage ON CONFLICT DO NOTHING;
            WITH ins AS (
                INSERT INTO review (product_id, customer_id, rating, title, body, created_at, source, external_ref)
                SELECT p.product_id, c.customer_id, s.rating, s.title, s.body, s.at, 'amazon', s.ext
                FROM stage s JOIN product p ON p.product_code = 'AMZ-' || s.asin
                             JOIN customer c ON c.external_ref = 'amazon:' || s.reviewer
                ORDER BY s.line
                ON CONFLICT DO NOTHING RETURNING 1)
            SELECT count(*) FROM ins;
            """, ct, ("r", _root));
}
