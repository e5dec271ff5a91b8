using System.Diagnostics;
using System.Text;
using Atelier.IntegrationTests.Infrastructure;

namespace Atelier.IntegrationTests.Cli;

/// <summary>One finished run of the CLI.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// Runs the real <c>atelier</c> CLI (the build output copied next to the tests) as a child process against the test
/// database, the way a user's shell does through the <c>./atelier</c> launcher.
/// </summary>
public static class AtelierCli
{
    private static string Dll => Path.Combine(AppContext.BaseDirectory, "atelier.dll");

    public static Process Start(PostgresFixture pg, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8, StandardErrorEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["ATELIER_DB"] = pg.ConnectionString;
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment.Remove("ATELIER_DEBUG");
        return Process.Start(psi) ?? throw new InvalidOperationException("could not start the CLI");
    }

    public static async Task<CliResult> RunAsync(PostgresFixture pg, string? stdin, params string[] args)
    {
        using var p = Start(pg, args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null) await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try { await p.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { p.Kill(entireProcessTree: true); throw new TimeoutException($"atelier {string.Join(' ', args)} did not finish"); }
        return new CliResult(p.ExitCode, await stdout, await stderr);
    }
}
