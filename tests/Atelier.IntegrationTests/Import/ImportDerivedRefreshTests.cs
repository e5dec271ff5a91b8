using System.Globalization;
using System.Text;
using Atelier.IntegrationTests.Infrastructure;
using Atelier.Services.Import;
using Npgsql;

namespace Atelier.IntegrationTests.Import;

/// <summary>
/// The incremental refresh after an import (only the touched weeks and customers, V008) leaves the derived tables
/// exactly as a full rebuild would. Runs in its own database: a full rebuild compares the whole tables.
/// </summary>
public sealed class ImportDerivedRefreshTests(PostgresFixture pg)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Tables =
        ["sales_weekly_article", "sales_weekly_product", "sales_weekly_category", "customer_features", "customer_article_interaction"];

    private static async Task<Dictionary<string, string[]>> SnapshotAsync(NpgsqlDataSource ds)
    {
        var result = new Dictionary<string, string[]>();
        foreach (var t in Tables)
        {
            var rows = new List<string>();
            await using var cmd = ds.CreateCommand($"SELECT t::text FROM {t} t ORDER BY 1");
            await using var r = await cmd.ExecuteReaderAsync(Ct);
            while (await r.ReadAsync(Ct)) rows.Add(r.GetString(0));
            result[t] = [.. rows];
        }
        return result;
    }

    private static string Transactions(string[] articles, int rows, DateOnly from, int days, int customers, int seed)
    {
        var rnd = new Random(seed);
        var sb = new StringBuilder("t_dat,customer_id,article_id,price,sales_channel_id\n");
        for (var i = 0; i < rows; i++)
            sb.Append(CultureInfo.InvariantCulture,
                $"{from.AddDays(i * days / rows):yyyy-MM-dd},cust{rnd.Next(customers)},{articles[rnd.Next(articles.Length)]},0.0{rnd.Next(1, 9)}{rnd.Next(10)},{rnd.Next(1, 3)}\n");
        return sb.ToString();
    }

    [Fact]
    public async Task Incremental_refresh_after_each_import_equals_a_full_rebuild()
    {
        await using var ds = NpgsqlDataSource.Create(await pg.CreateEmptyDatabaseAsync());
        await Atelier.Data.Migrations.MigrationRunner.MigrateAsync(ds, Ct);
        var db = new StoreBuilder(ds);
        var cat = await db.CategoryAsync();
        var type = await db.ProductTypeAsync();
        var articles = new List<string>();
        for (var p = 0; p < 3; p++)
        {
            var product = await db.ProductAsync(cat, type);
            for (var i = 0; i < 4; i++)
                articles.Add(await db.ScalarAsync<string>("SELECT article_code FROM article WHERE article_id = @a",
                    ("a", await db.ArticleAsync(product, 10m, 5, size: $"S{i}"))));
        }
        using var files = new ImportTestFiles();
        // Three imports: a long history, a later week for some of the same customers (moves "as of", so every
        // customer's recency changes), and a file overlapping the history (duplicates, new customers, old weeks).
        var first = files.Write("history.csv", Transactions([.. articles], 4_000, new DateOnly(2020, 1, 6), 70, 300, 1));
        var second = files.Write("later.csv", Transactions([.. articles], 600, new DateOnly(2020, 4, 20), 6, 120, 2));
        var third = files.Write("overlap.csv", string.Join('\n', File.ReadLines(first).Take(800))
            + "\n" + Transactions([.. articles], 400, new DateOnly(2020, 2, 3), 3, 400, 3)[52..]);
        // Carts and views of imported customers count in the interactions too.
        await db.ExecAsync("INSERT INTO customer (external_ref) SELECT 'cust' || g FROM generate_series(0, 9) g ON CONFLICT DO NOTHING");
        await db.ExecAsync("""
            INSERT INTO event (occurred_at, event_type, session_id, customer_id, article_id)
            SELECT timestamptz '2020-02-01 10:00Z' + g * interval '1 hour', CASE WHEN g % 3 = 0 THEN 'add_to_cart' ELSE 'view' END,
                   gen_random_uuid(), c.customer_id, a.article_id
            FROM generate_series(1, 60) g
            JOIN customer c ON c.external_ref = 'cust' || (g % 10)
            JOIN article a ON a.article_code = @a
            """, ("a", articles[0]));

        foreach (var file in new[] { first, second, third })
        {
            await new Importer(ds).ImportAsync("hm", [file], null, null, Ct);
            var incremental = await SnapshotAsync(ds);
            await Importer.RefreshDerivedAsync(ds, Ct);
            var full = await SnapshotAsync(ds);
            foreach (var t in Tables)
            {
                Assert.NotEmpty(full[t]);
                Assert.Equal(full[t], incremental[t]);
            }
        }
    }
}
