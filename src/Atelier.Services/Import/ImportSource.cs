using Npgsql;

namespace Atelier.Services.Import;

/// <summary>
/// One file format: validates each record in C# (types, ranges, references to preloaded keys), writes the valid
/// ones into a temporary staging table by binary COPY, then merges the staged batch set-based into the store.
/// </summary>
public abstract class ImportSource
{
    /// <summary>Stable name of the file kind, e.g. <c>hm-transactions</c>; part of the file's idempotency key.</summary>
    public abstract string Kind { get; }

    /// <summary>Fields every record must have (header records are skipped by the engine when <see cref="HasHeader"/>).</summary>
    public abstract int ExpectedFields { get; }

    public virtual bool HasHeader => true;

    /// <summary>The record reader for this format (CSV by default).</summary>
    public virtual IRecordReader Open(TextReader text) => new CsvRecords(text);

    /// <summary>Column list of the staging table; the first column must be <c>line integer</c>.</summary>
    public abstract string StagingColumns { get; }

    /// <summary>Rows per batch (one transaction each); batches end only between groups (see <see cref="GroupKey"/>).</summary>
    public virtual int BatchSize => 100_000;

    /// <summary>Loads lookups (e.g. article codes → ids) and creates the fixed rows the merge needs.</summary>
    public virtual Task PrepareAsync(NpgsqlConnection conn, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Validates the record; when valid writes exactly one staging row (starting with the line) and returns null, else the reason.</summary>
    public abstract string? Stage(IRecordReader rec, NpgsqlBinaryImporter w);

    /// <summary>Records with the same key stay in one batch (e.g. one invoice); empty = no grouping.</summary>
    public virtual ReadOnlySpan<char> GroupKey(IRecordReader rec) => default;

    /// <summary>Merges the staged rows (table <c>stage</c>) in the open transaction; returns how many rows were loaded (the rest were duplicates).</summary>
    public abstract Task<long> MergeAsync(NpgsqlConnection conn, long fileId, CancellationToken ct);

    protected static async Task<long> ExecAsync(NpgsqlConnection conn, string sql, CancellationToken ct, params (string, object)[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.CommandTimeout = 0;
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    protected static async Task<long> ScalarAsync(NpgsqlConnection conn, string sql, CancellationToken ct, params (string, object)[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.CommandTimeout = 0;
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct) ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Creates the fallback product type and a root category for sources without a product hierarchy.</summary>
    protected static async Task<int> EnsureRootCategoryAsync(NpgsqlConnection conn, string name, CancellationToken ct)
    {
        await ExecAsync(conn, """
            INSERT INTO product_group (name) VALUES ('Unspecified') ON CONFLICT DO NOTHING;
            INSERT INTO product_type (product_type_id, name, product_group_id)
            SELECT 0, 'Unspecified', product_group_id FROM product_group WHERE name = 'Unspecified' ON CONFLICT DO NOTHING;
            INSERT INTO category (parent_id, name, slug) VALUES (NULL, @n, atelier_slug(@n)) ON CONFLICT DO NOTHING;
            """, ct, ("n", name));
        return (int)await ScalarAsync(conn, "SELECT category_id FROM category WHERE parent_id IS NULL AND name = @n", ct, ("n", name));
    }

    /// <summary>Article code → id for reference checks in C# (keys compared as spans, no allocation per row).</summary>
    protected static async Task<Dictionary<string, long>> LoadArticlesAsync(NpgsqlConnection conn, string? prefix, CancellationToken ct)
    {
        var map = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var cmd = new NpgsqlCommand(
            prefix is null ? "SELECT article_code, article_id FROM article" : "SELECT article_code, article_id FROM article WHERE article_code LIKE @p", conn);
        cmd.CommandTimeout = 0;
        if (prefix is not null) cmd.Parameters.AddWithValue("p", prefix + "%");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) map[r.GetString(0)] = r.GetInt64(1);
        return map;
    }
}
