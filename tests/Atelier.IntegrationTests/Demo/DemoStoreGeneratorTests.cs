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

    [Fact]
    public async Task DemoSignInsWorkAndTheShopperIsTheBusiestDemoCustomer()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, db) = await GenerateAsync(pg, seed: 3);
        await using var _db = db;

        var logins = await new DemoAccounts(db).CreateAsync(ct);

        var accounts = new Atelier.Services.Accounts.AccountService(db, new Microsoft.AspNetCore.Identity.PasswordHasher<Atelier.Services.Accounts.AccountCredential>(),
            Microsoft.Extensions.Options.Options.Create(new Atelier.Services.Accounts.AccountOptions()));
        Assert.Equal(["admin", "customer"], logins.Select(l => l.Role).ToArray());
        Assert.Equal(2, logins.Select(l => l.Password).Distinct().Count());
        foreach (var l in logins)
        {
            Assert.True(l.Password.Length >= 16);
            var r = await accounts.LoginAsync(l.Email, l.Password, null, ct);
            Assert.Equal(Atelier.Services.Accounts.LoginStatus.Ok, r.Status);
            Assert.Equal(l.Role, r.User!.Role);
            Assert.Equal(l.CustomerId, r.User.CustomerId);
            Assert.NotEqual(Atelier.Services.Accounts.LoginStatus.Ok, (await accounts.LoginAsync(l.Email, l.Password + "x", null, ct)).Status);
        }
        await using var busiest = db.CreateCommand("SELECT customer_id FROM orders GROUP BY 1 ORDER BY count(*) DESC, customer_id LIMIT 1");
        Assert.Equal((long)(await busiest.ExecuteScalarAsync(ct))!, logins[1].CustomerId);
        // Only the hash is stored.
        await using var stored = db.CreateCommand("SELECT count(*) FROM app_user WHERE password_hash = ANY(@p)");
        stored.Parameters.AddWithValue("p", logins.Select(l => l.Password).ToArray());
        Assert.Equal(0L, await stored.ExecuteScalarAsync(ct));
    }
}
