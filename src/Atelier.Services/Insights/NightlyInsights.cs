using Atelier.Services.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Atelier.Services.Insights;

/// <summary>
/// Once a day at <c>Atelier:Insights:NightlyAtUtc</c> (default 02:30 UTC, before the recommender's 03:00 run; empty
/// turns it off): <see cref="StoreInsightsPipeline"/> refreshes customer insights, review insights and the demand
/// forecast from the day's orders and reviews, so the dashboard, customer pages, size advice and reorder plan never
/// go stale on a running store. One web instance runs it (advisory lock); each step is a tracked run.
/// </summary>
public sealed class NightlyInsights(NpgsqlDataSource db, IConfiguration config, TimeProvider clock, ILogger<NightlyInsights> log)
    : DailyJob(config, clock, log)
{
    private const long LockKey = 0x696e_7369_6768_7473; // "insights"

    protected override string TimeSetting => "Atelier:Insights:NightlyAtUtc";
    protected override string DefaultTime => "02:30";
    protected override string What => "nightly store analysis";

    protected override async Task RunScheduledAsync(CancellationToken ct)
    {
        var steps = await RunOnceAsync(ct);
        if (steps is null) return;
        foreach (var s in steps)
            if (s.Succeeded) Log.LogInformation("nightly {Step} (run {Run}): {Summary} in {Seconds:0.0} s", s.Step, s.RunId, s.Summary, s.Seconds);
            else Log.LogWarning("nightly {Step} (run {Run}) failed: {Error}", s.Step, s.RunId, s.Error);
    }

    /// <summary>One run now; null when another instance holds the lock.</summary>
    public Task<IReadOnlyList<InsightStepResult>?> RunOnceAsync(CancellationToken ct) =>
        AdvisoryLock.TryRunAsync<IReadOnlyList<InsightStepResult>?>(db, LockKey, async () => await new StoreInsightsPipeline(db).RunAsync(ct), ct);
}
