using System.CommandLine;
using Atelier.Services.Datasets;
using Spectre.Console;

namespace Atelier.Cli;

/// <summary>Runs the command tree; any failure becomes one readable line on stderr and a non-zero exit.</summary>
internal static class CliRunner
{
    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            if (cts.IsCancellationRequested) return; // second Ctrl+C: let the runtime terminate
            e.Cancel = true;
            cts.Cancel();
        };
        // SIGTERM (service managers, kill) stops as cleanly as Ctrl+C.
        using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx =>
            {
                ctx.Cancel = true;
                cts.Cancel();
            });
        try
        {
            var parse = root.Parse(args);
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Console.Error.WriteLine("atelier: cancelled");
            return 130;
        }
        catch (CliException ex)
        {
            Console.Error.WriteLine($"atelier: {ex.Message}");
            return ex.ExitCode;
        }
        catch (DatasetMissingException ex)
        {
            Console.Error.WriteLine($"atelier: {ex.Message}");
            return 3;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"atelier: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
            if (Environment.GetEnvironmentVariable("ATELIER_DEBUG") == "1") AnsiConsole.WriteException(ex);
            return 1;
        }
    }
}

/// <summary>An expected failure with a message meant for the user.</summary>
internal sealed class CliException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
