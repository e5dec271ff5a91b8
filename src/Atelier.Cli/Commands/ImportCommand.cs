using System.CommandLine;
using System.Diagnostics;
using Atelier.Data.Migrations;
using Atelier.Services.Import;
using Spectre.Console;

namespace Atelier.Cli.Commands;

/// <summary><c>atelier import &lt;source&gt; &lt;files…&gt;</c>: validated, idempotent, resumable bulk import.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("source") { Description = $"One of: {string.Join(", ", ImportSources.Names)}." };
        var files = new Argument<string[]>("files") { Description = "Files (.csv, .csv.gz, .json); the kind of each is detected from its header.", Arity = ArgumentArity.OneOrMore };
        var mapping = new Option<string?>("--mapping") { Description = "JSON mapping file for the csv source (see docs/import.md)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON summary object (no progress bar)." };
        var cmd = new Command("import", "Import real data files (H&M, UCI Online Retail, reviews, Hillstrom, generic CSV).") { source, files, mapping, json };
        cmd.SetAction(async (pr, ct) =>
        {
            var src = pr.GetValue(source)!;
            if (!ImportSources.Names.Contains(src)) throw new CliException($"unknown source '{src}' (known: {string.Join(", ", ImportSources.Names)})");
            var paths = pr.GetValue(files)!;
            CsvMapping? map = null;
            try
            {
                if (pr.GetValue(mapping) is { } m) map = CsvMapping.Load(m);
                await using var ds = await Database.DataSourceAsync(ct);
                await MigrationRunner.MigrateAsync(ds, ct);
                var importer = new Importer(ds);
                ImportSummary summary;
                if (pr.GetValue(json)) summary = await importer.ImportAsync(src, paths, map, null, ct);
                else summary = await WithProgressAsync(p => importer.ImportAsync(src, paths, map, p, ct));
                if (pr.GetValue(json)) JsonOutput.Write(summary);
                else Print(summary);
                return 0;
            }
            catch (ImportFormatException ex)
            {
                throw new CliException(ex.Message);
            }
        });
        return cmd;
    }

    private static async Task<ImportSummary> WithProgressAsync(Func<IProgress<ImportProgress>, Task<ImportSummary>> run)
    {
        ImportSummary? result = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var tasks = new Dictionary<string, (ProgressTask Task, Stopwatch Clock)>();
                var progress = new SyncProgress(p =>
                {
                    if (!tasks.TryGetValue(p.File, out var t))
                        tasks[p.File] = t = (ctx.AddTask(Markup.Escape(p.File), maxValue: Math.Max(1, p.BytesTotal)), Stopwatch.StartNew());
                    t.Task.Value = Math.Min(p.BytesDone, p.BytesTotal);
                    var rate = p.Rows / Math.Max(t.Clock.Elapsed.TotalSeconds, 1e-3);
                    t.Task.Description = Markup.Escape($"{p.File}  {p.Rows:N0} rows  {rate:N0} rows/s");
                });
                result = await run(progress);
                foreach (var (task, _) in tasks.Values) task.Value = task.MaxValue;
            });
        return result!;
    }

    private static void Print(ImportSummary s)
    {
        var table = new Table().AddColumns("file", "kind", "read", "loaded", "quarantined", "duplicates", "note");
        foreach (var f in s.Files)
            table.AddRow(Markup.Escape(Path.GetFileName(f.File)), f.Kind, $"{f.Read:N0}", $"{f.Loaded:N0}", $"{f.Quarantined:N0}",
                $"{f.DuplicatesSkipped:N0}", f.AlreadyImported ? "already imported" : f.Resumed ? "resumed" : "");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"read {s.Read:N0} = loaded {s.Loaded:N0} + quarantined {s.Quarantined:N0} + duplicates {s.DuplicatesSkipped:N0} in {s.Seconds:N1} s ({s.RowsPerS:N0} rows/s)");
        foreach (var (reason, n) in s.QuarantineReasons)
            AnsiConsole.MarkupLineInterpolated($"  quarantined {n:N0}: {reason}");
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; would post to the thread pool and reorder updates).</summary>
    private sealed class SyncProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
