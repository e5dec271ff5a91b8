using System.CommandLine;

namespace Atelier.Cli.Commands;

/// <summary><c>atelier eval …</c>: model evaluations on the real datasets.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var eval = new Command("eval", "Evaluate models on real data (time-based splits); --json for machines.");
        // One line per evaluation; each lives in its own file (EvalXxxCommand.cs).
        eval.Subcommands.Add(EvalRecsCommand.Create());
        eval.Subcommands.Add(EvalSimilarCommand.Create());
        eval.Subcommands.Add(EvalChurnCommand.Create());
        eval.Subcommands.Add(EvalSegmentsCommand.Create());
        eval.Subcommands.Add(EvalClvCommand.Create());
        eval.Subcommands.Add(EvalForecastCommand.Create());
        eval.Subcommands.Add(EvalSentimentCommand.Create());
        return eval;
    }
}
