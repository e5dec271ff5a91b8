using Npgsql;
using NpgsqlTypes;

namespace Atelier.Services.Import;

/// <summary>
/// H&amp;M articles.csv → product_group, product_type, colour, graphical_appearance, garment_group, the category
/// tree index group › index › department, product (product_code) and article (article_id, leading zero kept).
/// H&amp;M articles have no size and no price: size is "ONE SIZE", or "V" + the 3-digit variant when one product has
/// several articles of the same colour (they differ in pattern); price is 0 (order lines carry the prices).
/// </summary>
public sealed class HmArticlesSource : ImportSource
{
    public override string Kind => "hm-articles";
    public override int ExpectedFields => 25;
    public override string StagingColumns => """
        line integer, article_code text, product_code text, name text, type_no integer, type_name text, group_name text,
        ga_no integer, ga_name text, colour_code integer, colour_name text, index_group text, index_name text,
        department text, garment_no integer, garment_name text, descr text
        """;

    public override ReadOnlySpan<char> GroupKey(IRecordReader rec) => rec[1];

    public override string? Stage(IRecordReader rec, NpgsqlBinaryImporter w)
    {
        var code = rec[0].Trim();
        if (code.Length != 10 || !Fields.Long(code, out _)) return "article_id must have 10 digits";
        if (rec[1].Trim().IsEmpty) return "missing product_code";
        if (rec[2].Trim().IsEmpty) return "missing prod_name";
        if (!Fields.Int(rec[3], out var type)) return "bad product_type_no";
        if (!Fields.Int(rec[6], out var ga)) return "bad graphical_appearance_no";
        if (!Fields.Int(rec[8], out var colour)) return "bad colour_group_code";
        if (!Fields.Int(rec[22], out var garment)) return "bad garment_group_no";
        foreach (var i in (ReadOnlySpan<int>)[4, 5, 7, 9, 15, 17, 19, 23])
            if (rec[i].Trim().IsEmpty) return "missing a name field";
        w.StartRow();
        w.Write(rec.LineNumber, NpgsqlDbType.Integer);
        w.Write(new string(code), NpgsqlDbType.Text);
        w.Write(new string(rec[1].Trim()), NpgsqlDbType.Text);
        w.Write(Text(rec[2], 200), NpgsqlDbType.Text);
        w.Write(type, NpgsqlDbType.Integer);
        w.Write(new string(rec[4].Trim()), NpgsqlDbType.Text);
        w.Write(new string(rec[5].Trim()), NpgsqlDbType.Text);
        w.Write(ga, NpgsqlDbType.Integer);
        w.Write(new string(rec[7].Trim()), NpgsqlDbType.Text);
        w.Write(colour, NpgsqlDbType.Integer);
        w.Write(new string(rec[9].Trim()), NpgsqlDbType.Text);
        w.Write(Text(rec[19], 120), NpgsqlDbType.Text);
        w.Write(Text(rec[17], 120), NpgsqlDbType.Text);
        w.Write(Text(rec[15], 120), NpgsqlDbType.Text);
        w.Write(garment, NpgsqlDbType.Integer);
        w.Write(new string(rec[23].Trim()), NpgsqlDbType.Text);
        if (Fields.NullIfEmpty(rec[24]) is { } d) w.Write(d, NpgsqlDbType.Text); else w.WriteNull();
        return null;
    }

    private static string Text(ReadOnlySpan<char> s, int max)
    {
        s = s.Trim();
        return new string(s.Length > max ? s[..max] : s);
    }

    public override async Task<long> MergeAsync(NpgsqlConnection conn, long fileId, CancellationToken ct) =>
        await ScalarAsync(conn, """
            INSERT INTO product_group (name) SELECT DISTINCT group_name FROM stage ON CONFLICT DO NOTHING;
            INSERT INTO product_type (product_type_id, name, product_group_id)
            SELECT DISTINCT ON (s.type_no) s.type_no, s.type_name, g.product_group_id
            FROM stage s JOIN product_group g ON g.name = s.group_name ORDER BY s.type_no, s.line ON CONFLICT DO NOTHING;
            INSERT INTO colour SELECT DISTINCT ON (colour_code) colour_code, colour_name FROM stage ORDER BY colour_code, line ON CONFLICT DO NOTHING;
            INSERT INTO graphical_appearance SELECT DISTINCT ON (ga_no) ga_no, ga_name FROM stage ORDER BY ga_no, line ON CONFLICT DO NOTHING;
            INSERT INTO garment_group SELECT DISTINCT ON (garment_no) garment_no, garment_name FROM stage ORDER BY garment_no, line ON CONFLICT DO NOTHING;
            INSERT INTO category (parent_id, name, slug)
            SELECT DISTINCT NULL::integer, index_group, 'hm-' || atelier_slug(index_group) FROM stage ON CONFLICT DO NOTHING;
            INSERT INTO category (parent_id, name, slug)
            SELECT DISTINCT c.category_id, s.index_name, 'hm-' || atelier_slug(s.index_group || '-' || s.index_name)
            FROM stage s JOIN category c ON c.parent_id IS NULL AND c.name = s.index_group ON CONFLICT DO NOTHING;
            INSERT INTO category (parent_id, name, slug)
            SELECT DISTINCT c2.category_id, s.department, 'hm-' || atelier_slug(s.index_group || '-' || s.index_name || '-' || s.department)
            FROM stage s JOIN category c1 ON c1.parent_id IS NULL AND c1.name = s.index_group
                         JOIN category c2 ON c2.parent_id = c1.category_id AND c2.name = s.index_name ON CONFLICT DO NOTHING;
            INSERT INTO product (product_code, name, description, product_type_id, category_id, garment_group_id)
            SELECT DISTINCT ON (s.product_code) s.product_code, s.name, s.descr, s.type_no, c3.category_id, s.garment_no
            FROM stage s JOIN category c1 ON c1.parent_id IS NULL AND c1.name = s.index_group
                         JOIN category c2 ON c2.parent_id = c1.category_id AND c2.name = s.index_name
                         JOIN category c3 ON c3.parent_id = c2.category_id AND c3.name = s.department
            ORDER BY s.product_code, s.line ON CONFLICT (product_code) DO NOTHING;
            WITH ins AS (
                INSERT INTO article (article_code, product_id, colour_id, graphical_appearance_id, size, price)
                SELECT s.article_code, p.product_id, s.colour_code, s.ga_no,
                       CASE WHEN count(*) OVER (PARTITION BY s.product_code, s.colour_code) > 1
                            THEN 'V' || right(s.article_code, 3) ELSE 'ONE SIZE' END, 0
                FROM stage s JOIN product p ON p.product_code = s.product_code
                ON CONFLICT DO NOTHING RETURNING 1)
            SELECT count(*) FROM ins;
            """, ct);
}
