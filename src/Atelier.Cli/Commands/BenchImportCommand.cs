using System.CommandLine;
using System.Diagnostics;
using Atelier.Data.Migrations;
using Atelier.Services.Datasets;
using Atelier.Services.Import;
using Npgsql;

namespace Atelier.Cli.Commands;

/// <summary>
/// <c>atelier bench import</c>: imports the H&amp;M sample files and the UCI file into a fresh database, and measures
/// on the same transaction files, in the same run, PostgreSQL's raw CSV COPY into an unconstrained table.
/// </summary>
internal static class BenchImportCommand
{
    public sealed record FileFigures(string File, string Kind, long Rows, double ImportSeconds, double ImportRowsPerS,
        double? CopySeconds, double? CopyRowsPerS, double? Ratio);

    public sealed record Result(string Machine, double ImportRowsPerS, double CopyRowsPerS, double Ratio, string MainFile,
        double PeakRssMb, IReadOnlyList<FileFigures> Files);

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON only." };
        var cmd = new Command("import", "Import throughput vs PostgreSQL's raw COPY upper bound (fresh database).") { json };
        cmd.SetAction(async (pr, ct) =>
        {
            var hm = DataPaths.Require(HmData.Folder);
            var uci = Path.Combine(DataPaths.Require(OnlineRetail.Folder), "online_retail.csv.gz");
            var cs = await Database.ConnectionStringAsync(ct);
            var name = $"atelier_bench_{Environment.ProcessId}";
            await AdminAsync(cs, $"DROP DATABASE IF EXISTS {name}", ct);
            await AdminAsync(cs, $"CREATE DATABASE {name}", ct);
            try
            {
                await using var ds = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(cs) { Database = name, CommandTimeout = 0 }.ConnectionString);
                await MigrationRunner.MigrateAsync(ds, ct);
                var plan = new (string Source, string Path, bool Baseline)[]
                {
                    ("hm", Path.Combine(hm, "articles.csv.gz"), false),
                    ("hm", Path.Combine(hm, "customers_sample.csv"), false),
                    ("hm", Path.Combine(hm, "transactions_last_week_2020-09-16_to_22.csv.gz"), true),
                    ("online-retail", uci, true),
                };
                var figures = new List<FileFigures>();
                foreach (var (source, path, baseline) in plan)
                {
                    if (!pr.GetValue(json)) Console.Error.WriteLine($"bench: importing {Path.GetFileName(path)}…");
                    var sw = Stopwatch.StartNew();
                    var s = await new Importer(ds).ImportAsync(source, [path], null, null, ct, refreshDerived: false);
                    var secs = sw.Elapsed.TotalSeconds;
                    double? copySecs = null;
                    if (baseline) copySecs = (await RawCopyBaseline.RunAsync(ds, path, ct)).Seconds;
                    figures.Add(new FileFigures(Path.GetFileName(path), s.Files[0].Kind, s.Read, Math.Round(secs, 3), Math.Round(s.Read / secs),
                        copySecs is { } c ? Math.Round(c, 3) : null, copySecs is { } c2 ? Math.Round(s.Read / c2) : null,
                        copySecs is { } c3 ? Math.Round(c3 / secs, 3) : null));
                }
                var main = figures.First(f => f.Kind == "hm-transactions");
                var result = new Result($"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}",
                    main.ImportRowsPerS, main.CopyRowsPerS!.Value, main.Ratio!.Value, main.File,
                    Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1), figures);
                if (pr.GetValue(json)) JsonOutput.Write(result);
                else
                    foreach (var f in figures)
                        Console.WriteLine($"{f.File,-48} {f.Rows,10:N0} rows  import {f.ImportRowsPerS,9:N0} rows/s" +
                                          (f.CopyRowsPerS is { } c ? $"  raw COPY {c,9:N0} rows/s  ratio {f.Ratio:P0}" : ""));
                return 0;
            }
            finally
            {
                NpgsqlConnection.ClearAllPools();
                await AdminAsync(cs, $"DROP DATABASE IF EXISTS {name}", CancellationToken.None);
            }
        });
        return cmd;
    }

    private static async Task AdminAsync(string cs, string sql, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
