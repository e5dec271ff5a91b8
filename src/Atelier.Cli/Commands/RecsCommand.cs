using System.CommandLine;
using Atelier.Services.Models;
using Atelier.Services.Recommendations;

namespace Atelier.Cli.Commands;

/// <summary><c>atelier recs batch</c>: the nightly top-N per customer from the production model.</summary>
internal static class RecsCommand
{
    public static Command Create()
    {
        var recs = new Command("recs", "Recommendation jobs.");
        var n = new Option<int>("--n") { Description = "Items per customer.", DefaultValueFactory = _ => 12 };
        var batch = new Command("batch", "Write top-N per customer from the production model into recommendation_batch.") { n };
        batch.SetAction(async (pr, ct) =>
        {
            var top = pr.GetValue(n);
            if (top is < 1 or > 100) throw new CliException("--n must be between 1 and 100");
            await using var ds = await Database.DataSourceAsync(ct);
            var registry = new ModelRegistry(ds);
            var version = await registry.ProductionVersionAsync(RecommendationService.ModelName, ct)
                ?? throw new CliException("no recommendation model in production: run './atelier train recs' first");
            var (engine, _) = await RecsArtifact.LoadAsync(registry, version, ct)
                ?? throw new CliException($"the artifact of {RecommendationService.ModelName} v{version} is missing");
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var rows = await new RecsBatchWriter(ds, new RecommendationService(ds)).WriteAsync(engine, version, top, ct);
            Console.WriteLine($"wrote {rows} recommendations for {engine.Snapshot.CustomerIds.Length} customers from v{version} in {sw.Elapsed.TotalSeconds:0.0} s");
            return 0;
        });
        recs.Subcommands.Add(batch);
        return recs;
    }
}
