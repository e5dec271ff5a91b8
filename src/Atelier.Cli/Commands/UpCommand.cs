using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Atelier.Data.Hosting;
using Atelier.Data.Migrations;
using Atelier.Services.Demo;
using Atelier.Services.Insights;
using Atelier.Services.Models;
using Atelier.Services.Recommendations;
using Npgsql;
using Spectre.Console;

namespace Atelier.Cli.Commands;

/// <summary>
/// <c>atelier up</c>: database (started, migrated), demo data when empty, then the web app until Ctrl+C.
/// The launcher has already installed prerequisites and built the CLI and the web app.
/// </summary>
internal static class UpCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Address to serve on.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var noDemo = new Option<bool>("--no-demo") { Description = "Do not load demo data into an empty database." };
        var cmd = new Command("up", "Set everything up (database, migrations, demo data) and serve the web app.") { urls, noDemo };
        cmd.SetAction(async (pr, ct) => await RunAsync(pr.GetValue(urls)!, pr.GetValue(noDemo), ct));
        return cmd;
    }

    private static async Task<int> RunAsync(string urls, bool noDemo, CancellationToken ct)
    {
        EnsureAddressesFree(urls);
        var cs = await Database.ConnectionStringAsync(ct);
        AnsiConsole.MarkupLineInterpolated($"[green]✓[/] database {DatabaseTarget.Describe(cs)}");
        IReadOnlyList<DemoLogin> demoLogins = [];
        await using (var ds = NpgsqlDataSource.Create(cs))
        {
            var m = await MigrationRunner.MigrateAsync(ds, ct);
            AnsiConsole.MarkupLineInterpolated($"[green]✓[/] schema v{m.CurrentVersion}{(m.Applied > 0 ? $" ({m.Applied} migration(s) applied)" : "")}");
            await using var count = ds.CreateCommand("SELECT count(*) FROM product");
            if (!noDemo && (long)(await count.ExecuteScalarAsync(ct))! == 0)
            {
                var s = await new DemoStoreGenerator(ds).GenerateAsync(customers: 1000, seed: 42, ct);
                AnsiConsole.MarkupLineInterpolated($"[green]✓[/] demo store: {s.Products} products, {s.Articles} articles, {s.Customers} customers, {s.Orders} orders, {s.Reviews} reviews");
                demoLogins = await new DemoAccounts(ds).CreateAsync(ct);
            }
            var registry = new ModelRegistry(ds);
            await using var orders = ds.CreateCommand("SELECT EXISTS (SELECT 1 FROM order_line)");
            var hasOrders = (bool)(await orders.ExecuteScalarAsync(ct))!;
            if (hasOrders && await registry.ProductionVersionAsync(RecommendationService.ModelName, ct) is null)
            {
                var r = await new RecsTrainer(ds, registry).TrainAsync(promote: true, force: false, ct);
                AnsiConsole.MarkupLineInterpolated($"[green]✓[/] recommender v{r.Version} trained (hold-out MAP@12 {r.Metrics["map_at_12"]:0.0000})");
            }
            // A store that was never analysed would open with empty segments, no size advice and no reorder plan; the
            // web app refreshes these nightly (NightlyInsights), the first time is now.
            var insights = new StoreInsightsPipeline(ds);
            if (hasOrders && await insights.NeverRunAsync(ct))
                foreach (var step in await insights.RunAsync(ct))
                    if (step.Succeeded) AnsiConsole.MarkupLineInterpolated($"[green]✓[/] {step.Step}: {step.Summary}");
                    else AnsiConsole.MarkupLineInterpolated($"[yellow]![/] {step.Step} failed (the app still starts): {step.Error}");
        }

        var webDll = Environment.GetEnvironmentVariable("ATELIER_WEB_DLL");
        if (string.IsNullOrEmpty(webDll) || !File.Exists(webDll))
            throw new CliException("the web app is not built: run 'up' through the ./atelier launcher");
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(webDll)! };
        foreach (var a in new[] { webDll, "--urls", urls, "--contentRoot", Path.Combine(ProjectPaths.Root, "src", "Atelier.Web") })
            psi.ArgumentList.Add(a);
        psi.Environment["ConnectionStrings__Atelier"] = cs;
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production";
        using var web = Process.Start(psi) ?? throw new CliException("could not start the web app");
        AnsiConsole.MarkupLineInterpolated($"[green]✓[/] serving on [link]{urls}[/] — Ctrl+C stops");
        if (demoLogins.Count > 0)
        {
            // Shown once: only the hashes are stored. Sign in at /account/login.
            AnsiConsole.MarkupLine("  demo sign-ins (shown only now; /account/login):");
            foreach (var l in demoLogins)
                AnsiConsole.MarkupLineInterpolated($"    {(l.Role == "customer" ? "shopper" : l.Role),-8} {l.Email}  {l.Password}");
        }
        try
        {
            await web.WaitForExitAsync(ct);
            if (web.ExitCode != 0) throw new CliException($"the web app stopped with exit code {web.ExitCode} (its log is above)");
            return 0;
        }
        catch (OperationCanceledException)
        {
            // Graceful stop: SIGTERM lets ASP.NET Core drain requests; kill only if it hangs.
            if (!web.HasExited) _ = Kill(web.Id, 15);
            if (!web.WaitForExit(10_000)) web.Kill(entireProcessTree: true);
            AnsiConsole.MarkupLine("stopped");
            return 0;
        }
    }

    /// <summary>
    /// Fails early, in one line, when an address is malformed or its port is taken (say, by another <c>./atelier up</c>),
    /// instead of after the database work with the web server's stack trace.
    /// </summary>
    internal static void EnsureAddressesFree(string urls)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Port <= 0)
                throw new CliException($"--urls: '{url}' is not an address like http://127.0.0.1:5080");
            System.Net.IPAddress ip;
            if (uri.Host is "localhost") ip = System.Net.IPAddress.Loopback;
            else if (!System.Net.IPAddress.TryParse(uri.Host, out ip!)) continue; // a host name: Kestrel resolves it and reports itself
            try
            {
                using var probe = new System.Net.Sockets.TcpListener(ip, uri.Port);
                probe.Start();
                probe.Stop();
            }
            catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse)
            {
                throw new CliException($"{uri.Host}:{uri.Port} is already in use (another './atelier up'?): stop it, or serve elsewhere with --urls http://127.0.0.1:PORT");
            }
            catch (System.Net.Sockets.SocketException e)
            {
                throw new CliException($"cannot listen on {uri.Host}:{uri.Port}: {e.Message}");
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
