using System.CommandLine;

namespace Atelier.Cli.Commands;

internal static class DbCommand
{
    public static Command Create() => new("db", "(wired in the foundation work)");
}
