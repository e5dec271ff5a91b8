using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Atelier.Services.Hosting;

/// <summary>
/// A background job that runs once a day at the UTC time of day in a setting (HH:mm; empty turns it off, a malformed
/// value is logged and turns it off). A failed run is logged and retried the next day; the server keeps serving.
/// </summary>
public abstract class DailyJob(IConfiguration config, TimeProvider clock, ILogger log) : BackgroundService
{
    protected IConfiguration Config => config;
    protected ILogger Log => log;

    /// <summary>The setting that holds the time of day, e.g. <c>Atelier:Recs:NightlyBatchAtUtc</c>.</summary>
    protected abstract string TimeSetting { get; }
    protected abstract string DefaultTime { get; }
    /// <summary>The job in words, for the log ("nightly recommendation batch").</summary>
    protected abstract string What { get; }

    /// <summary>One scheduled run; it logs its own outcome.</summary>
    protected abstract Task RunScheduledAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var at = config[TimeSetting] ?? DefaultTime;
        if (string.IsNullOrWhiteSpace(at)) return;
        if (!TimeOnly.TryParse(at, CultureInfo.InvariantCulture, out var time))
        {
            log.LogError("{Setting} '{Value}' is not a time of day (HH:mm): the {What} is off", TimeSetting, at, What);
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            try { await Task.Delay(NextRun(now, time) - now, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
            try { await RunScheduledAsync(stoppingToken); }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "{What} failed; next try tomorrow", What);
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
}

/// <summary>
/// A PostgreSQL session-level advisory lock around a piece of work, so that of several web instances sharing a
/// database one does it and the others skip.
/// </summary>
public static class AdvisoryLock
{
    /// <returns>The work's result, or <c>default</c> when another session holds the lock.</returns>
    public static async Task<T?> TryRunAsync<T>(NpgsqlDataSource db, long key, Func<Task<T>> work, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using (var lockCmd = new NpgsqlCommand("SELECT pg_try_advisory_lock(@k)", conn))
        {
            lockCmd.Parameters.AddWithValue("k", key);
            if (await lockCmd.ExecuteScalarAsync(ct) is not true) return default;
        }
        try
        {
            return await work();
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@k)", conn);
            unlock.Parameters.AddWithValue("k", key);
            await unlock.ExecuteScalarAsync(CancellationToken.None);
        }
    }
}
