using Npgsql;
using NpgsqlTypes;

namespace Atelier.Services.Import;

/// <summary>
/// H&amp;M customers.csv (customer_id, FN, Active, club_member_status, fashion_news_frequency, age, postal_code).
/// Ages may be written as floats ("21.0"); "None" news frequency means NONE. A customer that a transactions import
/// already created as a bare row gets its attributes filled in (counted as loaded); an identical row is a duplicate.
/// FN and Active are validated but not stored (no column: they are marketing consents, see docs/import.md).
/// </summary>
public sealed class HmCustomersSource : ImportSource
{
    public override string Kind => "hm-customers";
    public override int ExpectedFields => 7;
    public override string StagingColumns => "line integer, ref text, age smallint, postal text, club text, news text";

    public override string? Stage(IRecordReader rec, NpgsqlBinaryImporter w)
    {
        var id = rec[0].Trim();
        if (id.IsEmpty) return "missing customer_id";
        if (Fields.TooLong(id, "customer_id") is { } tooLong) return tooLong;
        if (!rec[1].Trim().IsEmpty && !Fields.Flag(rec[1], out _)) return "bad FN flag";
        if (!rec[2].Trim().IsEmpty && !Fields.Flag(rec[2], out _)) return "bad Active flag";
        var club = rec[3].Trim();
        if (!club.IsEmpty && club is not ("ACTIVE" or "PRE-CREATE" or "LEFT CLUB")) return "unknown club_member_status";
        var news = rec[4].Trim();
        string? newsValue = news switch
        {
            "" => null,
            "NONE" or "None" => "NONE",
            "Regularly" => "Regularly",
            "Monthly" => "Monthly",
            _ => "?",
        };
        if (newsValue == "?") return "unknown fashion_news_frequency";
        long age = 0;
        var hasAge = !rec[5].Trim().IsEmpty;
        if (hasAge && !Fields.WholeNumber(rec[5], out age)) return "bad age";
        if (hasAge && age is < 10 or > 120) return "age out of range";
        w.StartRow();
        w.Write(rec.LineNumber, NpgsqlDbType.Integer);
        w.Write(new string(id), NpgsqlDbType.Text);
        if (hasAge) w.Write((short)age, NpgsqlDbType.Smallint); else w.WriteNull();
        if (Fields.NullIfEmpty(rec[6]) is { } p) w.Write(p, NpgsqlDbType.Text); else w.WriteNull();
        if (club.IsEmpty) w.WriteNull(); else w.Write(new string(club), NpgsqlDbType.Text);
        if (newsValue is null) w.WriteNull(); else w.Write(newsValue, NpgsqlDbType.Text);
        return null;
    }

    public override async Task<long> MergeAsync(NpgsqlConnection conn, long fileId, CancellationToken ct) =>
        await ScalarAsync(conn, """
            WITH up AS (
                INSERT INTO customer (external_ref, age, postal_code, club_member_status, fashion_news_frequency)
                SELECT DISTINCT ON (ref) ref, age, postal, club, news FROM stage ORDER BY ref, line
                ON CONFLICT (external_ref) DO UPDATE
                SET age = EXCLUDED.age, postal_code = EXCLUDED.postal_code,
                    club_member_status = EXCLUDED.club_member_status, fashion_news_frequency = EXCLUDED.fashion_news_frequency
                WHERE (customer.age, customer.postal_code, customer.club_member_status, customer.fashion_news_frequency)
                      IS DISTINCT FROM (EXCLUDED.age, EXCLUDED.postal_code, EXCLUDED.club_member_status, EXCLUDED.fashion_news_frequency)
                RETURNING 1)
            SELECT count(*) FROM up;
            """, ct);
}
