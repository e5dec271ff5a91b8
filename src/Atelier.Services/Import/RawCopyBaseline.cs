using System.Diagnostics;
using System.IO.Compression;
using Npgsql;

namespace Atelier.Services.Import;

/// <summary>
/// The practical upper bound for an import: PostgreSQL's own CSV parser (<c>COPY … FROM STDIN (FORMAT csv)</c>)
/// loading the raw file into an unlogged, unconstrained all-text staging table.
/// </summary>
public static class RawCopyBaseline
{
    public static async Task<(long Rows, double Seconds)> RunAsync(NpgsqlDataSource dataSource, string path, CancellationToken ct)
    {
        string header;
        using (var r = Datasets.DataPaths.OpenText(path)) header = r.ReadLine() ?? "";
        var columns = string.Join(", ", header.Split(',').Select((_, i) => $"c{i} text"));
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using (var create = new NpgsqlCommand($"DROP TABLE IF EXISTS raw_copy_baseline; CREATE UNLOGGED TABLE raw_copy_baseline ({columns})", conn))
            await create.ExecuteNonQueryAsync(ct);
        var sw = Stopwatch.StartNew();
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        {
            Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var reader = new StreamReader(stream, System.Text.Encoding.UTF8, true, 1 << 16);
            await using var writer = await conn.BeginTextImportAsync("COPY raw_copy_baseline FROM STDIN (FORMAT csv, HEADER true)", ct);
            var buf = new char[1 << 16];
            int n;
            while ((n = await reader.ReadAsync(buf, ct)) > 0) await writer.WriteAsync(buf.AsMemory(0, n), ct);
        }
        var secs = sw.Elapsed.TotalSeconds;
        await using var count = new NpgsqlCommand("SELECT count(*) FROM raw_copy_baseline", conn);
        var rows = (long)(await count.ExecuteScalarAsync(ct))!;
        await using (var drop = new NpgsqlCommand("DROP TABLE raw_copy_baseline", conn)) await drop.ExecuteNonQueryAsync(ct);
        return (rows, secs);
    }
}
