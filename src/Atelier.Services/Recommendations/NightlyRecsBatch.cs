using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Atelier.Services.Recommendations;

/// <summary>
/// Writes the top-N of every customer (<see cref="RecsBatchWriter"/>) once a day at <c>Atelier:Recs:NightlyBatchAtUtc</c>
/// (default 03:00 UTC; empty turns it off), from the engine being served. With several web instances, a session-level
/// advisory lock lets one of them write and the others skip that night.
/// </summary>
public sealed class NightlyRecsBatch(NpgsqlDataSource db, RecommendationService service, IConfiguration config,
    TimeProvider clock, ILogger<NightlyRecsBatch> log) : BackgroundService
{
    private const long LockKey = 0x7265_6373_6261_7463; // "recsbatc"
    public const int TopN = 12;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var at = config["Atelier:Recs:NightlyBatchAtUtc"] ?? "03:00";
        if (string.IsNullOrWhiteSpace(at)) return;
        if (!TimeOnly.TryParse(at, System.Globalization.CultureInfo.InvariantCulture, out var time))
        {
            log.LogError("Atelier:Recs:NightlyBatchAtUtc '{Value}' is not a time of day (HH:mm): the nightly batch is off", at);
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            try { await Task.Delay(NextRun(now, time) - now, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
            try
            {
                var rows = await RunOnceAsync(stoppingToken);
                log.LogInformation("nightly recommendation batch: {Rows} rows", rows);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "nightly recommendation batch failed; next try tomorrow");
            }
        }
    }

    /// <summary>The next moment at <paramref name="at"/> UTC strictly after <paramref name="now"/>.</summary>
    public static DateTimeOffset NextRun(DateTimeOffset now, TimeOnly at)
    {
        var utc = now.ToUniversalTime();
        var today = new DateTimeOffset(DateOnly.FromDateTime(utc.UtcDateTime).ToDateTime(at), TimeSpan.Zero);
        return today > utc ? today : today.AddDays(1);
    }

    /// <summary>One batch now; null when no model is served yet or another instance holds the lock.</summary>
    public async Task<int?> RunOnceAsync(CancellationToken ct)
    {
        if (service.Serving is not { } current) return null;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using (var lockCmd = new NpgsqlCommand("SELECT pg_try_advisory_lock(@k)", conn))
        {
            lockCmd.Parameters.AddWithValue("k", LockKey);
            if (await lockCmd.ExecuteScalarAsync(ct) is not true) return null;
        }
        try
        {
            return await new RecsBatchWriter(db, service).WriteAsync(current.Engine, current.Version, TopN, ct);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@k)", conn);
            unlock.Parameters.AddWithValue("k", LockKey);
            await unlock.ExecuteScalarAsync(CancellationToken.None);
        }
    }
}
