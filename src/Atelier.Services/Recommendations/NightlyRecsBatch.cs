using Microsoft.Extensions.Configuration;
using Atelier.Services.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Atelier.Services.Recommendations;

/// <summary>What one nightly run did: the batch rows and the version they came from, and the retraining's outcome
/// (null when retraining is off).</summary>
public sealed record NightlyRunResult(int Rows, int Version, RecsTrainingResult? Retrained, RecsDriftDto? Drift = null);

/// <summary>
/// Once a day at <c>Atelier:Recs:NightlyBatchAtUtc</c> (default 03:00 UTC; empty turns it off): retrains the recommender
/// on all data so far (<see cref="RecsTrainer"/>: hold-out evaluation, new registry version, promoted only through the
/// gate; <c>Atelier:Recs:NightlyRetrain</c>: <c>true</c> (default), <c>false</c>, or <c>on-drift</c> = only when the drift
/// check advises it), serves the new version at once if it was promoted, and
/// writes the top-N of every customer (<see cref="RecsBatchWriter"/>) from the engine being served. Before retraining it
/// records how far the store has drifted from the version that served the day (<see cref="RecsDrift.RecordAsync"/>). With several web
/// instances, a session-level advisory lock lets one of them do it and the others skip that night.
/// </summary>
public sealed class NightlyRecsBatch(NpgsqlDataSource db, RecommendationService service, Models.ModelRegistry registry,
    IConfiguration config, TimeProvider clock, ILogger<NightlyRecsBatch> log, RecsDrift? drift = null) : DailyJob(config, clock, log)
{
    private readonly RecsDrift _drift = drift ?? new RecsDrift(db, registry, service, clock);

    private const long LockKey = 0x7265_6373_6261_7463; // "recsbatc"
    public const int TopN = 12;

    protected override string TimeSetting => "Atelier:Recs:NightlyBatchAtUtc";
    protected override string DefaultTime => "03:00";
    protected override string What => "nightly recommendation batch";

    protected override async Task RunScheduledAsync(CancellationToken ct)
    {
        if (await RunOnceAsync(ct) is { } r)
            Log.LogInformation("nightly recommendations: drift {Drift}; {Retrained}; {Rows} rows from v{Version}",
                r.Drift is { } d ? d.Status + (d.Findings.Count > 0 ? " (" + string.Join("; ", d.Findings) + ")" : "") : "not checked",
                r.Retrained is { } t ? $"v{t.Version} {(t.Promoted ? "promoted" : "kept out of production")} ({t.Reason})" : "no retraining",
                r.Rows, r.Version);
    }

    /// <summary>The retraining policy: <c>true</c> (also when unset), <c>false</c>, or <c>on-drift</c> (only when the check
    /// before it found drift).</summary>
    public static bool ShouldRetrain(string? setting, RecsDriftDto? drift) => setting?.Trim().ToLowerInvariant() switch
    {
        null or "" or "true" => true,
        "false" => false,
        "on-drift" => drift?.Status == "drifting",
        _ => throw new InvalidOperationException($"Atelier:Recs:NightlyRetrain must be true, false or on-drift (got '{setting}')"),
    };

    /// <summary>One run now; null when no model is served yet or another instance holds the lock.</summary>
    public async Task<NightlyRunResult?> RunOnceAsync(CancellationToken ct)
    {
        if (service.Serving is null) return null;
        return await AdvisoryLock.TryRunAsync(db, LockKey, async () =>
        {
            // The shop stays open at night: leave it a core.
            using var cores = TrainingCores.Limit(Config);
            RecsDriftDto? drift = null;
            try
            {
                drift = await _drift.RecordAsync(ct); // of the version that served the day, before it is replaced
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.LogWarning(ex, "the nightly drift check failed; retraining goes ahead");
            }
            RecsTrainingResult? retrained = null;
            if (ShouldRetrain(Config["Atelier:Recs:NightlyRetrain"], drift))
            {
                retrained = await new RecsTrainer(db, registry).TrainAsync(promote: true, force: false, ct);
                // Serve a promoted version now (the registry watcher would within seconds) so that tonight's batch comes
                // from it; the engine is the one the trainer fitted and stored. No warm-up (unlike the watcher): the
                // batch below ranks every customer anyway, at night.
                if (retrained.Promoted) service.Swap(retrained.Engine, retrained.Version);
            }
            var current = service.Serving!.Value;
            var rows = await new RecsBatchWriter(db, service).WriteAsync(current.Engine, current.Version, TopN, ct);
            return new NightlyRunResult(rows, current.Version, retrained, drift);
        }, ct);
    }
}
