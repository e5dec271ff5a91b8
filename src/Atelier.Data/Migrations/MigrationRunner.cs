using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Atelier.Data.Migrations;

/// <summary>One versioned SQL script, <c>V{version}__{name}.sql</c>, embedded in this assembly.</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    public string Checksum => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)))[..16].ToLowerInvariant();
}

public sealed record MigrationResult(int Applied, int CurrentVersion, IReadOnlyList<string> AppliedNames);

/// <summary>
/// Applies the embedded migrations in order, each in its own transaction, recording them in
/// <c>schema_version</c>. Re-running is a no-op; an edited, already-applied script is refused.
/// A session-level advisory lock serialises concurrent runners.
/// </summary>
public static class MigrationRunner
{
    private const long LockKey = 0x4174656C696572; // "Atelier"

    public static IReadOnlyList<Migration> All { get; } = Load();

    private static List<Migration> Load()
    {
        var asm = typeof(MigrationRunner).Assembly;
        const string prefix = "Atelier.Data.Migrations.";
        return asm.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix + "V", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[prefix.Length..^4];
                var sep = file.IndexOf("__", StringComparison.Ordinal);
                var version = int.Parse(file[1..sep], System.Globalization.CultureInfo.InvariantCulture);
                using var reader = new StreamReader(asm.GetManifestResourceStream(n)!);
                return new Migration(version, file[(sep + 2)..], reader.ReadToEnd());
            })
            .OrderBy(m => m.Version)
            .ToList();
    }

    public static async Task<MigrationResult> MigrateAsync(NpgsqlDataSource dataSource, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await ExecAsync(conn, null, $"SELECT pg_advisory_lock({LockKey})", ct);
        try
        {
            await ExecAsync(conn, null, """
                CREATE TABLE IF NOT EXISTS schema_version (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    checksum   text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, ct);
            var applied = new Dictionary<int, string>();
            await using (var cmd = new NpgsqlCommand("SELECT version, checksum FROM schema_version", conn))
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct)) applied[reader.GetInt32(0)] = reader.GetString(1);

            var names = new List<string>();
            foreach (var m in All)
            {
                if (applied.TryGetValue(m.Version, out var checksum))
                {
                    if (checksum != m.Checksum)
                        throw new InvalidOperationException(
                            $"migration V{m.Version:000} {m.Name} was changed after it was applied (checksum {checksum} ≠ {m.Checksum}): add a new migration instead");
                    continue;
                }
                await using var tx = await conn.BeginTransactionAsync(ct);
                await ExecAsync(conn, tx, m.Sql, ct);
                await using (var rec = new NpgsqlCommand(
                    "INSERT INTO schema_version (version, name, checksum) VALUES (@v, @n, @c)", conn, tx))
                {
                    rec.Parameters.AddWithValue("v", m.Version);
                    rec.Parameters.AddWithValue("n", m.Name);
                    rec.Parameters.AddWithValue("c", m.Checksum);
                    await rec.ExecuteNonQueryAsync(ct);
                }
                await tx.CommitAsync(ct);
                names.Add($"V{m.Version:000}__{m.Name}");
            }
            return new MigrationResult(names.Count, All.Count == 0 ? 0 : All[^1].Version, names);
        }
        finally
        {
            await ExecAsync(conn, null, $"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
        }
    }

    /// <summary>The highest applied version, or null when the schema has never been migrated.</summary>
    public static async Task<int?> CurrentVersionAsync(NpgsqlDataSource dataSource, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('schema_version') IS NOT NULL", conn))
            if (!(bool)(await exists.ExecuteScalarAsync(ct))!) return null;
        await using var cmd = new NpgsqlCommand("SELECT max(version) FROM schema_version", conn);
        return await cmd.ExecuteScalarAsync(ct) is int v ? v : null;
    }

    /// <summary>Drops everything in the public schema (for <c>atelier db reset</c>).</summary>
    public static async Task ResetAsync(NpgsqlDataSource dataSource, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await ExecAsync(conn, null, "DROP SCHEMA public CASCADE; CREATE SCHEMA public;", ct);
    }

    private static async Task ExecAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
