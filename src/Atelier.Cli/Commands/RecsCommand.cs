using System.CommandLine;
using Atelier.Services.Models;
using Atelier.Services.Recommendations;

namespace Atelier.Cli.Commands;

/// <summary><c>atelier recs batch</c>: the nightly top-N per customer from the production model; <c>atelier recs drift</c>:
/// how far the store moved since a version was trained.</summary>
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
        recs.Subcommands.Add(Drift());
        return recs;
        }

    private static Command Drift()
    {
        var version = new Option<int?>("--version") { Description = "Version to check (default: the production version)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var failOnDrift = new Option<bool>("--fail-on-drift") { Description = "Exit 2 when retraining is advised (for cron and CI)." };
        var drift = new Command("drift", "Drift since a version was trained: new articles, product-type and price PSI, live MAP@12.") { version, json, failOnDrift };
        drift.SetAction(async (pr, ct) =>
        {
            await using var ds = await Database.DataSourceAsync(ct);
            var registry = new ModelRegistry(ds);
            var v = pr.GetValue(version) ?? await registry.ProductionVersionAsync(RecommendationService.ModelName, ct)
                ?? throw new CliException("no recommendation model in production: run './atelier train recs' first");
            var (engine, _) = await RecsArtifact.LoadAsync(registry, v, ct)
                ?? throw new CliException($"{RecommendationService.ModelName} v{v} does not exist");
            var service = new RecommendationService(ds);
            service.Swap(engine, v);
            var result = (await new RecsDrift(ds, registry, service, TimeProvider.System).CurrentAsync(refresh: true, ct))!;
            if (pr.GetValue(json)) JsonOutput.Write(result);
            else
            {
                Console.WriteLine($"v{result.Version}: {result.Status} — {result.PurchasesSince:N0} units by {result.CustomersSince:N0} customers " +
                    $"since {result.TrainedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC ({result.DaysSinceTraining:0.0} days)");
                foreach (var m in result.Measures)
                    Console.WriteLine($"  {m.Name,-26} {(m.Value is { } x ? x.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture) : "—"),10}" +
                        (m.Finding is null ? "" : "  ⚠ " + m.Finding));
            }
            if (pr.GetValue(failOnDrift) && result.Status == "drifting")
                throw new CliException("drifting: " + string.Join("; ", result.Findings), exitCode: 2);
            return 0;
        });
        return drift;
    }
}
