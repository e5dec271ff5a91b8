using Atelier.Data.Migrations;
using Atelier.IntegrationTests.Infrastructure;
using Atelier.Services.Demo;
using Npgsql;

namespace Atelier.IntegrationTests.Demo;

/// <summary>The demo store generator in its own database (its customers would shift the shared database's analyses).</summary>
public sealed class DemoStoreGeneratorTests(PostgresFixture pg)
{
    private static async Task<(DemoStoreSummary Summary, NpgsqlDataSource Db)> GenerateAsync(PostgresFixture pg, int seed)
    {
        var ds = NpgsqlDataSource.Create(await pg.CreateEmptyDatabaseAsync());
        await MigrationRunner.MigrateAsync(ds, TestContext.Current.CancellationToken);
        return (await new DemoStoreGenerator(ds).GenerateAsync(150, seed, TestContext.Current.CancellationToken), ds);
    }

    [Fact]
    public async Task SameSeedSameStore_AndNothingHappensInTheFuture()
    {
        var ct = TestContext.Current.CancellationToken;
        var (first, db1) = await GenerateAsync(pg, seed: 11);
        var (second, db2) = await GenerateAsync(pg, seed: 11);
        await using var _1 = db1;
        await using var _2 = db2;
        Assert.Equal(first, second);
        Assert.True(first.Orders > 0 && first.Events > 0 && first.Reviews > 0, first.ToString());

        const string Fingerprint = """
            SELECT (SELECT count(*) FROM orders) || '/' || (SELECT sum(quantity) FROM order_line) || '/' ||
                   (SELECT string_agg(to_char(placed_at, 'YYYY-MM-DD"T"HH24:MI'), ',' ORDER BY placed_at, order_id) FROM (SELECT placed_at, order_id FROM orders ORDER BY placed_at, order_id LIMIT 50) o)
            """;
        await using (var a = db1.CreateCommand(Fingerprint))
        await using (var b = db2.CreateCommand(Fingerprint))
            Assert.Equal(await a.ExecuteScalarAsync(ct), await b.ExecuteScalarAsync(ct));

        // Demo data ends before today: no order, event or review dated after the moment it was generated.
        await using var cmd = db1.CreateCommand("""
            SELECT (SELECT max(placed_at) FROM orders), (SELECT max(occurred_at) FROM event), (SELECT max(created_at) FROM review)
            """);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var now = DateTime.UtcNow;
        for (var c = 0; c < 3; c++) Assert.True(r.GetDateTime(c) <= now, $"column {c}: {r.GetDateTime(c):O} is after {now:O}");
        // Within each order's session the views and carts come before the purchase.
        await r.CloseAsync();
        await using var late = db1.CreateCommand("""
            SELECT count(*) FROM event v JOIN event p ON p.session_id = v.session_id AND p.event_type = 'purchase'
            WHERE v.event_type IN ('view', 'add_to_cart') AND v.occurred_at > p.occurred_at
            """);
        Assert.Equal(0L, await late.ExecuteScalarAsync(ct));
    }
}
