using System.CommandLine;
using Atelier.Data.Migrations;
using Atelier.Services.Models;
using Atelier.Services.Recommendations;

namespace Atelier.Cli.Commands;

/// <summary><c>atelier train recs</c>: train from the database, register a version, promote it through the gate.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var train = new Command("train", "Train models from the database and register them in the model registry.");
        var noPromote = new Option<bool>("--no-promote") { Description = "Register the version without promoting it." };
        var force = new Option<bool>("--force") { Description = "Promote even if the gate fails." };
        var json = new Option<bool>("--json") { Description = "Machine-readable output." };
        var recs = new Command("recs", "Train the hybrid recommender (hold-out MAP@12 gate: within 5% of production).") { noPromote, force, json };
        recs.SetAction(async (pr, ct) =>
        {
            await using var ds = await Database.DataSourceAsync(ct);
            await MigrationRunner.MigrateAsync(ds, ct);
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var result = await new RecsTrainer(ds, new ModelRegistry(ds)).TrainAsync(!pr.GetValue(noPromote), pr.GetValue(force), ct);
            if (pr.GetValue(json))
                JsonOutput.Write(new { model = RecommendationService.ModelName, result.Version, result.Promoted, result.Reason, result.Metrics, seconds = sw.Elapsed.TotalSeconds });
            else
                Console.WriteLine($"{RecommendationService.ModelName} v{result.Version}: MAP@12 {result.Metrics["map_at_12"]:0.0000} on {result.Metrics["test_customers"]} hold-out customers — {(result.Promoted ? "promoted" : "not promoted")} ({result.Reason})");
            return 0;
        });
        train.Subcommands.Add(recs);
        return train;
    }
}
