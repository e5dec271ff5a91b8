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
    public async Task ArtifactsStoredBeforeChunkingAreMovedIntoChunksIntact()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var ds = NpgsqlDataSource.Create(await pg.CreateEmptyDatabaseAsync());
        // A database at V008 (the runner's bookkeeping by hand), holding two versions in the old one-column layout.
        await using (var conn = await ds.OpenConnectionAsync(ct))
        {
            await new NpgsqlCommand("CREATE TABLE schema_version (version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, " +
                "applied_at timestamptz NOT NULL DEFAULT now())", conn).ExecuteNonQueryAsync(ct);
            foreach (var m in MigrationRunner.All.Where(m => m.Version <= 8))
            {
                await new NpgsqlCommand(m.Sql, conn).ExecuteNonQueryAsync(ct);
                await using var rec = new NpgsqlCommand("INSERT INTO schema_version (version, name, checksum) VALUES ($1, $2, $3)", conn);
                rec.Parameters.AddWithValue(m.Version);
                rec.Parameters.AddWithValue(m.Name);
                rec.Parameters.AddWithValue(m.Checksum);
                await rec.ExecuteNonQueryAsync(ct);
            }
            foreach (var (version, bytes) in new[] { (1, new byte[] { 9, 8, 7, 6 }), (2, Array.Empty<byte>()) })
            {
                await using var ins = new NpgsqlCommand(
                    "INSERT INTO model_version (model_name, version, artifact, artifact_sha256) VALUES ('old', $1, $2, $3)", conn);
                ins.Parameters.AddWithValue(version);
                ins.Parameters.AddWithValue(bytes);
                ins.Parameters.AddWithValue(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)).ToLowerInvariant());
                await ins.ExecuteNonQueryAsync(ct);
            }
        }
        var result = await MigrationRunner.MigrateAsync(ds, ct);
        Assert.Equal(MigrationRunner.All.Count(m => m.Version > 8), result.Applied);

        var registry = new Atelier.Services.Models.ModelRegistry(ds);
        Assert.Equal(new byte[] { 9, 8, 7, 6 }, await registry.ArtifactAsync("old", 1, ct)); // checked against the stored SHA-256
        Assert.Equal(Array.Empty<byte>(), await registry.ArtifactAsync("old", 2, ct));
        Assert.Equal(new long[] { 0, 4 }, (await registry.ListAsync("old", ct)).OrderByDescending(v => v.Version).Select(v => v.ArtifactBytes));
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
