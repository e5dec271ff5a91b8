using System.CommandLine;
using System.Diagnostics;
using System.Xml.Linq;
using Atelier.Data.Hosting;

namespace Atelier.Cli.Commands;

/// <summary>
/// <c>atelier test</c>: builds and runs the whole suite against a throwaway PostgreSQL cluster it starts and
/// removes, then prints one plain line CI reads: <c>N passed, N failed, N skipped</c>.
/// </summary>
internal static class TestCommand
{
    public static Command Create()
    {
        var filter = new Option<string?>("--filter") { Description = "dotnet test filter expression (default: everything)." };
        var cmd = new Command("test", "Build and run the whole test suite against a throwaway PostgreSQL cluster.") { filter };
        cmd.SetAction(async (pr, ct) => await RunAsync(pr.GetValue(filter), ct));
        return cmd;
    }

    private static async Task<int> RunAsync(string? filter, CancellationToken ct)
    {
        var root = ProjectPaths.Root;
        var work = Path.Combine(Path.GetTempPath(), $"atelier-test-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        var results = Path.Combine(work, "results");

        Console.WriteLine("building the solution…");
        var build = await RunAsync("dotnet", ["build", Path.Combine(root, "Atelier.slnx"), "-c", "Release", "--nologo", "-v", "q", "-clp:ErrorsOnly"], root, null, ct);
        if (build != 0) throw new CliException("build failed");

        var cluster = new LocalCluster(Path.Combine(work, "pg"), fastUnsafe: true);
        try
        {
            Console.WriteLine("starting a throwaway PostgreSQL cluster…");
            await cluster.StartAsync(ct);
            var env = new Dictionary<string, string> { ["ATELIER_TEST_DB"] = cluster.ConnectionString() };
            var args = new List<string>
            {
                "test", Path.Combine(root, "Atelier.slnx"), "-c", "Release", "--no-build", "--nologo",
                "--logger", "trx", "--logger", "console;verbosity=normal", "--results-directory", results,
            };
            if (!string.IsNullOrWhiteSpace(filter)) args.AddRange(["--filter", filter]);
            var code = await RunAsync("dotnet", [.. args], root, env, ct);

            var (passed, failed, skipped) = CountResults(results);
            Console.WriteLine($"{passed} passed, {failed} failed, {skipped} skipped");
            if (failed > 0 || code != 0) return 1;
            if (passed == 0) throw new CliException("no test ran");
            return 0;
        }
        finally
        {
            await cluster.DestroyAsync();
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static (int Passed, int Failed, int Skipped) CountResults(string dir)
    {
        int passed = 0, failed = 0, skipped = 0;
        if (!Directory.Exists(dir)) return (0, 0, 0);
        foreach (var trx in Directory.EnumerateFiles(dir, "*.trx", SearchOption.AllDirectories))
        {
            // Count the per-test outcomes: the Counters summary of some TRX writers leaves skipped tests out.
            foreach (var result in XDocument.Load(trx).Descendants().Where(e => e.Name.LocalName == "UnitTestResult"))
                switch (result.Attribute("outcome")?.Value)
                {
                    case "Passed": passed++; break;
                    case "NotExecuted" or "Inconclusive" or "Pending": skipped++; break;
                    default: failed++; break; // Failed, Error, Timeout, Aborted, anything unknown
                }
        }
        return (passed, failed, skipped);
    }

    private static async Task<int> RunAsync(string file, string[] args, string cwd, Dictionary<string, string>? env, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, WorkingDirectory = cwd };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi) ?? throw new CliException($"could not start {file}");
        try
        {
            await p.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw;
        }
        return p.ExitCode;
    }
}
