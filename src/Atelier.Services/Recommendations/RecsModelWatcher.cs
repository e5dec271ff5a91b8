using Atelier.Services.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Atelier.Services.Recommendations;

/// <summary>
/// Polls the registry for the production recommender version; when it changes, loads the artifact, builds the engine
/// off the request path and swaps it in atomically. <c>Atelier:Recs:WatchRegistry = false</c> turns the polling off
/// (tests that serve an engine they built themselves).
/// </summary>
public sealed class RecsModelWatcher(ModelRegistry registry, RecommendationService service, ILogger<RecsModelWatcher> log,
    IConfiguration? config = null) : BackgroundService
{
    public static TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (config?.GetValue("Atelier:Recs:WatchRegistry", true) == false)
        {
            log.LogInformation("recommendation registry polling is off (Atelier:Recs:WatchRegistry = false)");
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CheckOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "could not refresh the recommendation model");
            }
            try
            {
                await Task.Delay(PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task CheckOnceAsync(CancellationToken ct)
    {
        var version = await registry.ProductionVersionAsync(RecommendationService.ModelName, ct);
        if (version is not { } v || v == service.Version) return;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var engine = await Task.Run(async () =>
        {
            // Off the request path and off one core: requests keep being served by the old engine meanwhile.
            using var cores = TrainingCores.Limit(config);
            var (e, refitted) = await RecsArtifact.LoadAsync(registry, v, ct)
                ?? throw new InvalidOperationException($"artifact of {RecommendationService.ModelName} v{v} is missing");
            e.WarmUp(); // swap in a warm engine: no latency spike while customers' lists are first computed
            return (e, refitted);
        }, ct);
        service.Swap(engine.e, v);
        log.LogInformation("recommendation model v{Version} {How} in {Seconds:0.0} s", v,
            engine.refitted ? "refitted from its snapshot (artifact of an older format)" : "loaded", sw.Elapsed.TotalSeconds);
    }
}
