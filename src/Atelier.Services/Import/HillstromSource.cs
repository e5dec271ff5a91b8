using Npgsql;
using NpgsqlTypes;

namespace Atelier.Services.Import;

/// <summary>
/// Hillstrom MineThatData e-mail test → one experiment campaign; every row is a customer ("hillstrom:" + line) with a
/// treated/control assignment (arm mens/womens/control), the two-week outcomes (visit, conversion, spend) and the
/// pre-treatment covariates as JSON.
/// </summary>
public sealed class HillstromSource : ImportSource
{
    public const string CampaignName = "Hillstrom e-mail test 2008";
    private long _campaign;

    public override string Kind => "hillstrom";
    public override int ExpectedFields => 12;
    public override string StagingColumns => """
        line integer, recency integer, history_segment text, history numeric(12, 2), mens boolean, womens boolean,
        zip_code text, newbie boolean, channel text, segment text, visit boolean, conversion boolean, spend numeric(12, 2)
        """;

    public override async Task PrepareAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await ExecAsync(conn, """
            INSERT INTO campaign (name, kind, starts_at, ends_at) VALUES (@n, 'experiment', '2008-03-01Z', '2008-03-15Z')
            ON CONFLICT (name) DO NOTHING
            """, ct, ("n", CampaignName));
        _campaign = await ScalarAsync(conn, "SELECT campaign_id FROM campaign WHERE name = @n", ct, ("n", CampaignName));
    }

    public override string? Stage(IRecordReader rec, NpgsqlBinaryImporter w)
    {
        if (!Fields.Int(rec[0], out var recency) || recency is < 1 or > 12) return "recency must be 1..12 months";
        if (!Fields.Decimal(rec[2], out var history) || history < 0) return "bad history";
        if (!Fields.Flag(rec[3], out var mens) || !Fields.Flag(rec[4], out var womens) || !Fields.Flag(rec[6], out var newbie))
            return "bad 0/1 flag";
        var segment = rec[8].Trim();
        if (segment is not ("Mens E-Mail" or "Womens E-Mail" or "No E-Mail")) return "unknown segment";
        if (!Fields.Flag(rec[9], out var visit) || !Fields.Flag(rec[10], out var conversion)) return "bad outcome flag";
        if (!Fields.Decimal(rec[11], out var spend) || spend < 0) return "bad spend";
        w.StartRow();
        w.Write(rec.LineNumber, NpgsqlDbType.Integer);
        w.Write(recency, NpgsqlDbType.Integer);
        w.Write(rec[1].Trim().ToString(), NpgsqlDbType.Text);
        w.Write(history, NpgsqlDbType.Numeric);
        w.Write(mens, NpgsqlDbType.Boolean);
        w.Write(womens, NpgsqlDbType.Boolean);
        w.Write(rec[5].Trim().ToString(), NpgsqlDbType.Text);
        w.Write(newbie, NpgsqlDbType.Boolean);
        w.Write(rec[7].Trim().ToString(), NpgsqlDbType.Text);
        w.Write(segment.ToString(), NpgsqlDbType.Text);
        w.Write(visit, NpgsqlDbType.Boolean);
        w.Write(conversion, NpgsqlDbType.Boolean);
        w.Write(spend, NpgsqlDbType.Numeric);
        return null;
    }

    public override async Task<long> MergeAsync(NpgsqlConnection conn, long fileId, CancellationToken ct) =>
        await ScalarAsync(conn, """
            INSERT INTO customer (external_ref) SELECT 'hillstrom:' || line FROM stage ON CONFLICT DO NOTHING;
            INSERT INTO campaign_assignment (campaign_id, customer_id, treated, arm)
            SELECT @c, c.customer_id, s.segment <> 'No E-Mail',
                   CASE s.segment WHEN 'Mens E-Mail' THEN 'mens' WHEN 'Womens E-Mail' THEN 'womens' ELSE 'control' END
            FROM stage s JOIN customer c ON c.external_ref = 'hillstrom:' || s.line ON CONFLICT DO NOTHING;
            WITH ins AS (
                INSERT INTO campaign_outcome (campaign_id, customer_id, visited, converted, spend, covariates)
                SELECT @c, c.customer_id, s.visit, s.conversion, s.spend,
                       jsonb_build_object('recency', s.recency, 'history_segment', s.history_segment, 'history', s.history,
                                          'mens', s.mens, 'womens', s.womens, 'zip_code', s.zip_code, 'newbie', s.newbie,
                                          'channel', s.channel)
                FROM stage s JOIN customer c ON c.external_ref = 'hillstrom:' || s.line
                ON CONFLICT DO NOTHING RETURNING 1)
            SELECT count(*) FROM ins;
            """, ct, ("c", _campaign));
}
