using System.CommandLine;

namespace Atelier.Cli.Commands;

internal static class UpCommand
{
    public static Command Create() => new("up", "(wired in the foundation work)");
}
