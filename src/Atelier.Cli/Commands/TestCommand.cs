using System.CommandLine;

namespace Atelier.Cli.Commands;

internal static class TestCommand
{
    public static Command Create() => new("test", "(wired in the foundation work)");
}
