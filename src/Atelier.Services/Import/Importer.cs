using System.Diagnostics;
using Npgsql;

namespace Atelier.Services.Import;

/// <summary>Imports the files of one call in dependency order, then refreshes the derived tables.</summary>
public sealed class Importer(NpgsqlDataSource dataSource)
{
    public async Task<ImportSummary> ImportAsync(string source, IReadOnlyList<string> files, CsvMapping? mapping,
        IProgress<ImportProgress>? progress, CancellationToken ct, bool refreshDerived = true, int? batchSize = null)
    {
        var sw = Stopwatch.StartNew();
        var plan = files.Select(f => (File: f, Src: ImportSources.Detect(source, f, mapping)))
            .OrderBy(p => ImportSources.Order(p.Src)).ToList();
        var engine = new ImportEngine(dataSource) { BatchSize = batchSize };
        var results = new List<ImportFileResult>();
        foreach (var (file, src) in plan)
            results.Add(await engine.RunAsync(source, file, src, mapping?.Json, progress, ct));
        var changed = results.Where(r => !r.AlreadyImported).Select(r => r.ImportFileId).ToArray();
        if (refreshDerived && changed.Length > 0)
            await RefreshDerivedAsync(dataSource, changed, ct);
        var reasons = new List<QuarantineCount>();
        await using (var cmd = dataSource.CreateCommand(
            "SELECT reason, count(*) FROM import_quarantine WHERE import_file_id = ANY(@ids) GROUP BY reason ORDER BY 2 DESC"))
        {
            cmd.Parameters.AddWithValue("ids", results.Select(r => r.ImportFileId).ToArray());
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) reasons.Add(new QuarantineCount(r.GetString(0), r.GetInt64(1)));
        }
        var secs = sw.Elapsed.TotalSeconds;
        var read = results.Sum(r => r.Read);
        return new ImportSummary(source, read, results.Sum(r => r.Loaded), results.Sum(r => r.Quarantined),
            results.Sum(r => r.DuplicatesSkipped), Math.Round(secs, 3), Math.Round(read / Math.Max(secs, 1e-9), 0), results, reasons);
    }

    /// <summary>Incremental refresh (V008): only the weeks and customers that these import files' orders touch.</summary>
    public static async Task RefreshDerivedAsync(NpgsqlDataSource dataSource, long[] importFileIds, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT refresh_import_derived(@ids)");
        cmd.CommandTimeout = 0;
        cmd.Parameters.AddWithValue("ids", importFileIds);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Full rebuild of the derived tables.</summary>
    public static async Task RefreshDerivedAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT refresh_import_derived()");
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
