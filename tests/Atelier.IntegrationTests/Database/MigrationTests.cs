using Atelier.Data.Migrations;
using Atelier.IntegrationTests.Infrastructure;
using Npgsql;

namespace Atelier.IntegrationTests.Database;

public sealed class MigrationTests(PostgresFixture pg)
{
    [Fact]
    public async Task MigrationsApplyInOrderAndReRunningIsANoOp()
    {
        await using var ds = NpgsqlDataSource.Create(await pg.CreateEmptyDatabaseAsync());
        var first = await MigrationRunner.MigrateAsync(ds, TestContext.Current.CancellationToken);
        Assert.Equal(MigrationRunner.All.Count, first.Applied);
        Assert.Equal(MigrationRunner.All.Select(m => m.Version).Order(), MigrationRunner.All.Select(m => m.Version));

        var second = await MigrationRunner.MigrateAsync(ds, TestContext.Current.CancellationToken);
        Assert.Equal(0, second.Applied);
        Assert.Equal(first.CurrentVersion, second.CurrentVersion);
        Assert.Equal(first.CurrentVersion, await MigrationRunner.CurrentVersionAsync(ds, TestContext.Current.CancellationToken));

        // Reset drops everything; migrating again rebuilds the same schema.
        await MigrationRunner.ResetAsync(ds, TestContext.Current.CancellationToken);
        Assert.Null(await MigrationRunner.CurrentVersionAsync(ds, TestContext.Current.CancellationToken));
        var third = await MigrationRunner.MigrateAsync(ds, TestContext.Current.CancellationToken);
        Assert.Equal(MigrationRunner.All.Count, third.Applied);
    }

    [Fact]
    public async Task ConcurrentRunnersApplyEachMigrationOnce()
    {
        await using var ds = NpgsqlDataSource.Create(await pg.CreateEmptyDatabaseAsync());
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => MigrationRunner.MigrateAsync(ds)));
        Assert.Equal(MigrationRunner.All.Count, results.Sum(r => r.Applied));
    }

    [Fact]
    public async Task EventsArePartitionedByMonth()
    {
        var store = new StoreBuilder(pg.DataSource);
        var customer = await store.CustomerAsync();
        await store.ExecAsync(
            "INSERT INTO event (occurred_at, event_type, session_id, customer_id) VALUES ('2020-09-21 10:00+00', 'view', gen_random_uuid(), @c)",
            ("c", customer));
        Assert.Equal("event_2020_09", await store.ScalarAsync<string>(
            "SELECT tableoid::regclass::text FROM event WHERE customer_id = @c", ("c", customer)));
        var bad = await Assert.ThrowsAsync<PostgresException>(() => store.ExecAsync(
            "INSERT INTO event (occurred_at, event_type, session_id) VALUES (now(), 'teleport', gen_random_uuid())"));
        Assert.Equal(PostgresErrorCodes.CheckViolation, bad.SqlState);
    }
}
