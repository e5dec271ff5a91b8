using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Atelier.Services.Recommendations;

/// <summary>What the last on-demand retraining of this instance did (null fields while it runs or before the first).</summary>
public sealed record RecsRetrainStatus(bool Running, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, int? Version, bool? Promoted,
    string? Reason, string? Error);

/// <summary>
/// "Retrain now" for staff, off the request path: one retraining at a time per instance, through the same trainer and
/// promotion gate as the nightly run. A promoted version is warmed up and served here at once (other instances pick it
/// up from the registry within their poll interval). The run itself is tracked in the registry like any other. It uses
/// all cores but one by default (<see cref="TrainingCores"/>), so the shop keeps answering while it trains.
/// </summary>
public sealed class RecsRetrainJob(RecsTrainer trainer, RecommendationService service, TimeProvider clock, ILogger<RecsRetrainJob> log,
    IHostApplicationLifetime? lifetime = null, Microsoft.Extensions.Configuration.IConfiguration? config = null)
{
    private readonly Lock _gate = new();
    private RecsRetrainStatus _status = new(false, null, null, null, null, null, null);
    private Task _running = Task.CompletedTask;

    public RecsRetrainStatus Status
    {
        get { lock (_gate) return _status; }
    }

    /// <summary>The retraining in progress (a completed task when none), for callers that want to wait for it.</summary>
    public Task Running
    {
        get { lock (_gate) return _running; }
    }

    /// <summary>Starts a retraining unless one is already running here; false when it is.</summary>
    public bool TryStart()
    {
        lock (_gate)
        {
            if (_status.Running) return false;
            _status = new RecsRetrainStatus(true, clock.GetUtcNow(), null, null, null, null, null);
            var stopping = lifetime?.ApplicationStopping ?? CancellationToken.None;
            _running = Task.Run(() => RunAsync(stopping), CancellationToken.None);
            return true;
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var started = Status.StartedAt;
        // Leave a core to the requests this server is answering meanwhile (TrainingCores).
        using var cores = TrainingCores.Limit(config);
        try
        {
            var r = await trainer.TrainAsync(promote: true, force: false, ct);
            if (r.Promoted)
            {
                r.Engine.WarmUp();
                service.Swap(r.Engine, r.Version);
            }
            log.LogInformation("retraining on demand: v{Version} {Outcome} ({Reason})", r.Version,
                r.Promoted ? "promoted and served" : "kept out of production", r.Reason);
            Set(new RecsRetrainStatus(false, started, clock.GetUtcNow(), r.Version, r.Promoted, r.Reason, null));
        }
        catch (Exception ex)
        {
            log.LogWarning(ex, "retraining on demand failed");
            Set(new RecsRetrainStatus(false, started, clock.GetUtcNow(), null, null, null, ex.Message));
        }
    }

    private void Set(RecsRetrainStatus s)
    {
        lock (_gate) _status = s;
    }
}
