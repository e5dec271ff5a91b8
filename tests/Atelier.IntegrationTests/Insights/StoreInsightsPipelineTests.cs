using Atelier.Data.Migrations;
using Atelier.IntegrationTests.Infrastructure;
using Atelier.Services.Demo;
using Atelier.Services.Insights;
using Atelier.Services.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Atelier.IntegrationTests.Insights;

/// <summary>The store's analyses in one tracked run (what <c>atelier up</c> and the nightly job call), each in its own
/// database: they analyse every customer, review and article of the store.</summary>
public sealed class StoreInsightsPipelineTests(PostgresFixture pg)
{
    private async Task<NpgsqlDataSource> NewStoreAsync(bool withDemoData)
    {
        var ds = NpgsqlDataSource.Create(await pg.CreateEmptyDatabaseAsync());
        await MigrationRunner.MigrateAsync(ds, TestContext.Current.CancellationToken);
        if (withDemoData) await new DemoStoreGenerator(ds).GenerateAsync(150, seed: 5, TestContext.Current.CancellationToken);
        return ds;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource ds, string sql)
    {
        await using var cmd = ds.CreateCommand(sql);
        return (T)(await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    [Fact]
    public async Task ANewStoreIsAnalysedOnceAndEveryStepIsATrackedRun()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var ds = await NewStoreAsync(withDemoData: true);
        var pipeline = new StoreInsightsPipeline(ds);
        Assert.True(await pipeline.NeverRunAsync(ct));

        var steps = await pipeline.RunAsync(ct);

        Assert.Equal([StoreInsightsPipeline.CustomersStep, StoreInsightsPipeline.ReviewsStep, StoreInsightsPipeline.ForecastStep],
            steps.Select(s => s.Step).ToArray());
        Assert.All(steps, s => Assert.True(s.Succeeded, $"{s.Step}: {s.Error}"));
        Assert.False(await pipeline.NeverRunAsync(ct));
        // What the pages read: every customer with orders analysed, reviews scored, an article forecast for the reorder plan.
        Assert.Equal(await ScalarAsync<long>(ds, "SELECT count(DISTINCT customer_id) FROM orders"),
            await ScalarAsync<long>(ds, "SELECT count(*) FROM customer_insight"));
        Assert.Equal(await ScalarAsync<long>(ds, "SELECT count(*) FROM review"), await ScalarAsync<long>(ds, "SELECT count(*) FROM review_insight"));
        Assert.True(await ScalarAsync<long>(ds, "SELECT count(*) FROM forecast f JOIN forecast_run r USING (run_id) WHERE r.level = 'article'") > 0);
        Assert.NotNull(await new Atelier.Services.Forecasting.InventoryPlanner(ds).PlanAllAsync(14, 0.95, "weekly", ct));

        var runs = await new ModelRegistry(ds).RunsAsync(null, 10, ct);
        foreach (var s in steps)
        {
            var run = Assert.Single(runs, r => r.RunId == s.RunId);
            Assert.Equal(s.Step, run.ModelName);
            Assert.Equal("succeeded", run.Status);
        }
        Assert.Equal(await ScalarAsync<long>(ds, "SELECT count(*) FROM customer_insight"),
            (long)(await new ModelRegistry(ds).RunsAsync(StoreInsightsPipeline.CustomersStep, 1, ct))[0].Metrics["customers"]);
    }

    [Fact]
    public async Task AStepWithNothingToAnalyseIsAFailedRunWithItsReasonAndTheOthersStillRun()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var ds = await NewStoreAsync(withDemoData: false);

        var steps = await new StoreInsightsPipeline(ds).RunAsync(ct);

        var forecast = Assert.Single(steps, s => s.Step == StoreInsightsPipeline.ForecastStep);
        Assert.False(forecast.Succeeded);
        Assert.StartsWith("no sales", forecast.Error);
        Assert.Equal(3, steps.Count);
        var runs = await new ModelRegistry(ds).RunsAsync(null, 10, ct);
        Assert.All(steps, s => Assert.Equal(s.Succeeded ? "succeeded" : "failed", Assert.Single(runs, r => r.RunId == s.RunId).Status));
        Assert.Equal(forecast.Error, Assert.Single(runs, r => r.RunId == forecast.RunId).Error);
    }

    [Fact]
    public async Task TheNightlyJobRunsThePipelineAndOneInstanceAtATime()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var ds = await NewStoreAsync(withDemoData: true);
        var config = new ConfigurationBuilder().Build();
        var job = new NightlyInsights(ds, config, TimeProvider.System, NullLogger<NightlyInsights>.Instance);

        // Another instance holds the lock: this one skips.
        await using (var other = await ds.OpenConnectionAsync(ct))
        {
            await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(x'696e736967687473'::bigint)", other))
                await take.ExecuteNonQueryAsync(ct);
            Assert.Null(await job.RunOnceAsync(ct));
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(x'696e736967687473'::bigint)", other);
            await release.ExecuteNonQueryAsync(ct);
        }
        var steps = await job.RunOnceAsync(ct);
        Assert.NotNull(steps);
        Assert.All(steps, s => Assert.True(s.Succeeded, $"{s.Step}: {s.Error}"));
    }
}
