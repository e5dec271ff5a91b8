using System.CommandLine;
using Atelier.Cli;
using Atelier.Cli.Commands;

var root = new RootCommand("Atelier — fashion commerce with data: database, imports, training, evaluation, benchmarks.")
{
    UpCommand.Create(),
    DbCommand.Create(),
    TestCommand.Create(),
    GenerateCommand.Create(),
    TrainCommand.Create(),
    RecsCommand.Create(),
    EvalCommand.Create(),
    BenchCommand.Create(),
    UsersCommand.Create(),
    AnalyzeCommand.Create(),
    ImportCommand.Create(),
    ForecastCommand.Create(),
};
return await CliRunner.RunAsync(root, args);
