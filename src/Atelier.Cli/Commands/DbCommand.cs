using System.CommandLine;
using System.Diagnostics;
using Atelier.Data.Hosting;
using Atelier.Data.Migrations;
using Npgsql;
using Spectre.Console;

namespace Atelier.Cli.Commands;

/// <summary><c>atelier db start|stop|status|migrate|reset|psql</c>.</summary>
internal static class DbCommand
{
    public static Command Create()
    {
        var db = new Command("db", "Manage the database (the project's own local cluster unless ATELIER_DB / ConnectionStrings:Atelier is set).");

        var start = new Command("start", "Start the local cluster (initialised on first use) and apply migrations.");
        start.SetAction(async (_, ct) =>
        {
            await using var ds = await Database.DataSourceAsync(ct);
            var result = await MigrationRunner.MigrateAsync(ds, ct);
            AnsiConsole.MarkupLineInterpolated($"[green]database running[/] at {DatabaseTarget.Describe(ds.ConnectionString)} (schema v{result.CurrentVersion})");
            return 0;
        });

        var stop = new Command("stop", "Stop the local cluster.");
        stop.SetAction(async (_, ct) =>
        {
            RequireManaged("stop");
            await LocalCluster.Default().StopAsync(ct);
            AnsiConsole.MarkupLine("local cluster stopped");
            return 0;
        });

        var status = new Command("status", "One line: where the database is and whether it runs.");
        status.SetAction(async (_, ct) => await StatusAsync(ct));

        var migrate = new Command("migrate", "Apply pending migrations (re-running is a no-op).");
        migrate.SetAction(async (_, ct) =>
        {
            await using var ds = await Database.DataSourceAsync(ct);
            var result = await MigrationRunner.MigrateAsync(ds, ct);
            Console.WriteLine(result.Applied == 0
                ? $"schema up to date (v{result.CurrentVersion})"
                : $"applied {result.Applied} migration(s): {string.Join(", ", result.AppliedNames)} (now v{result.CurrentVersion})");
            return 0;
        });

        var yes = new Option<bool>("--yes") { Description = "Do not ask for confirmation." };
        var reset = new Command("reset", "Drop every table and re-apply all migrations (destroys all data).") { yes };
        reset.SetAction(async (pr, ct) =>
        {
            if (!pr.GetValue(yes) && !Console.IsInputRedirected &&
                !AnsiConsole.Confirm("This deletes all data in the database. Continue?", defaultValue: false))
                return 1;
            await using var ds = await Database.DataSourceAsync(ct);
            await MigrationRunner.ResetAsync(ds, ct);
            var result = await MigrationRunner.MigrateAsync(ds, ct);
            Console.WriteLine($"database reset; schema v{result.CurrentVersion}");
            return 0;
        });

        var psql = new Command("psql", "Open psql on the database.");
        psql.SetAction(async (_, ct) =>
        {
            var cs = new NpgsqlConnectionStringBuilder(await Database.ConnectionStringAsync(ct));
            var psi = new ProcessStartInfo("psql") { UseShellExecute = false };
            foreach (var a in new[] { "-h", cs.Host!, "-p", cs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", cs.Username!, cs.Database! })
                psi.ArgumentList.Add(a);
            if (!string.IsNullOrEmpty(cs.Password)) psi.Environment["PGPASSWORD"] = cs.Password;
            using var p = Process.Start(psi) ?? throw new CliException("psql not found: apt-get install postgresql-client");
            await p.WaitForExitAsync(ct);
            return p.ExitCode;
        });

        foreach (var c in new[] { start, stop, status, migrate, reset, psql }) db.Subcommands.Add(c);
        return db;
    }

    private static void RequireManaged(string verb)
    {
        if (!Database.Target.IsManaged)
            throw new CliException($"'db {verb}' manages the local cluster only; ATELIER_DB points at an external server");
    }

    private static async Task<int> StatusAsync(CancellationToken ct)
    {
        var target = Database.Target;
        if (target.ConfiguredConnectionString is { } cs)
        {
            var where = DatabaseTarget.Describe(cs);
            try
            {
                await using var ds = NpgsqlDataSource.Create(cs);
                var version = await MigrationRunner.CurrentVersionAsync(ds, ct);
                Console.WriteLine($"external database {where}: reachable, schema {(version is null ? "not migrated" : $"v{version}")}");
                return 0;
            }
            catch (NpgsqlException ex)
            {
                Console.WriteLine($"external database {where}: NOT reachable ({ex.Message.Split('\n')[0]})");
                return 1;
            }
        }
        var cluster = LocalCluster.Default();
        if (!cluster.IsInitialised)
        {
            Console.WriteLine($"local cluster {cluster.DataDir}: not created yet (run './atelier db start' or './atelier up')");
            return 1;
        }
        if (!await cluster.IsRunningAsync(ct))
        {
            Console.WriteLine($"local cluster {cluster.DataDir}: stopped (last port {cluster.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}; start with './atelier db start')");
            return 1;
        }
        await using var source = NpgsqlDataSource.Create(cluster.ConnectionString());
        var v = await MigrationRunner.CurrentVersionAsync(source, ct);
        Console.WriteLine($"local cluster {cluster.DataDir}: running on 127.0.0.1:{cluster.Port}, database '{LocalCluster.DatabaseName}', schema {(v is null ? "not migrated" : $"v{v}")}");
        return 0;
    }
}
