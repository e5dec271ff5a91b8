using Npgsql;
using NpgsqlTypes;

namespace Atelier.Services.Import;

/// <summary>
/// Women's E-Commerce Clothing Reviews → one product per Clothing ID ("WECR-" + id) under the category tree
/// Women's E-Commerce › Department › Class, and one review per row (external_ref = the row index; no customer, no date).
/// </summary>
public sealed class WomensReviewsSource : ImportSource
{
    private int _root;

    public override string Kind => "reviews-womens-ecommerce";
    public override int ExpectedFields => 11;
    public override string StagingColumns => """
        line integer, idx integer, clothing integer, age smallint, title text, body text, rating smallint,
        recommended boolean, department text, klass text
        """;

    public override async Task PrepareAsync(NpgsqlConnection conn, CancellationToken ct) =>
        _root = await EnsureRootCategoryAsync(conn, "Women's E-Commerce", ct);

    public override string? Stage(IRecordReader rec, NpgsqlBinaryImporter w)
    {
        if (!Fields.Int(rec[0], out var idx) || idx < 0) return "bad row index";
        if (!Fields.Int(rec[1], out var clothing) || clothing < 0) return "bad Clothing ID";
        if (!Fields.Int(rec[2], out var age)) return "bad Age";
        if (age is < 10 or > 120) return "age out of range";
        if (!Fields.Int(rec[5], out var rating) || rating is < 1 or > 5) return "rating must be 1..5";
        if (!Fields.Flag(rec[6], out var recommended)) return "bad Recommended IND";
        w.StartRow();
        w.Write(rec.LineNumber, NpgsqlDbType.Integer);
        w.Write(idx, NpgsqlDbType.Integer);
        w.Write(clothing, NpgsqlDbType.Integer);
        w.Write((short)age, NpgsqlDbType.Smallint);
        if (Fields.NullIfEmpty(rec[3]) is { } t) w.Write(t, NpgsqlDbType.Text); else w.WriteNull();
        if (Fields.NullIfEmpty(rec[4]) is { } b) w.Write(b, NpgsqlDbType.Text); else w.WriteNull();
        w.Write((short)rating, NpgsqlDbType.Smallint);
        w.Write(recommended, NpgsqlDbType.Boolean);
        w.Write(Fields.NullIfEmpty(rec[9]) ?? "Unknown", NpgsqlDbType.Text);
        w.Write(Fields.NullIfEmpty(rec[10]) ?? "Unknown", NpgsqlDbType.Text);
        return null;
    }

    public override async Task<long> MergeAsync(NpgsqlConnection conn, long fileId, CancellationToken ct) =>
        await ScalarAsync(conn, """
            INSERT INTO category (parent_id, name, slug)
            SELECT DISTINCT @r, department, 'wecr-' || atelier_slug(department) FROM stage ON CONFLICT DO NOTHING;
            INSERT INTO category (parent_id, name, slug)
            SELECT DISTINCT d.category_id, s.klass, 'wecr-' || atelier_slug(s.department || '-' || s.klass)
            FROM stage s JOIN category d ON d.parent_id = @r AND d.name = s.department ON CONFLICT DO NOTHING;
            INSERT INTO product (product_code, name, product_type_id, category_id)
            SELECT DISTINCT ON (s.clothing) 'WECR-' || s.clothing, s.klass || ' #' || s.clothing, 0, k.category_id
            FROM stage s JOIN category d ON d.parent_id = @r AND d.name = s.department
                         JOIN category k ON k.parent_id = d.category_id AND k.name = s.klass
            ORDER BY s.clothing, s.line ON CONFLICT (product_code) DO NOTHING;
            WITH ins AS (
                INSERT INTO review (product_id, rating, title, body, recommended, reviewer_age, source, external_ref)
                SELECT p.product_id, s.rating, s.title, s.body, s.recommended, s.age, 'womens-ecommerce', s.idx::text
                FROM stage s JOIN product p ON p.product_code = 'WECR-' || s.clothing
                ON CONFLICT DO NOTHING RETURNING 1)
            SELECT count(*) FROM ins;
            """, ct, ("r", _root));
}
