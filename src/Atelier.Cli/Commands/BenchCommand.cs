using System.CommandLine;

namespace Atelier.Cli.Commands;

/// <summary><c>atelier bench …</c>: end-to-end benchmarks printing JSON.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "End-to-end benchmarks; print JSON figures.");
        // One line per benchmark; each lives in its own file (BenchXxxCommand.cs).
        bench.Subcommands.Add(BenchRecsCommand.Create());
        bench.Subcommands.Add(BenchApiCommand.Create());
        bench.Subcommands.Add(BenchForecastCommand.Create());
        bench.Subcommands.Add(BenchImportCommand.Create());
        return bench;
    }
}
