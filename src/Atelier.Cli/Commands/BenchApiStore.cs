using Atelier.Services.Accounts;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace Atelier.Cli.Commands;

/// <summary>
/// What the API benchmark needs in the generated store: customer logins, product ids to read, and a few "hot"
/// articles with a known stock so the order phase runs them out and overselling can be checked exactly.
/// </summary>
internal sealed class BenchStore
{
    public const string Password = "bench password 123";

    public required string[] Emails { get; init; }
    public required long[] ProductIds { get; init; }
    public required long[] HotArticles { get; init; }
    public required int StockEach { get; init; }
    public required long[] CustomerIds { get; init; }
    public int TotalStock => HotArticles.Length * StockEach;

    public static async Task<BenchStore> PrepareAsync(NpgsqlDataSource ds, int users, int hotArticles, int stockEach,
        IPasswordHasher<AccountCredential> hasher, CancellationToken ct)
    {
        var hash = hasher.HashPassword(new AccountCredential(), Password); // one hash, shared: each login still verifies it
        await using var conn = await ds.OpenConnectionAsync(ct);
        var customers = await ReadLongsAsync(conn, $"SELECT customer_id FROM customer ORDER BY customer_id LIMIT {users}", ct);
        var emails = customers.Select(c => $"bench-{c}@example.test").ToArray();
        await using (var cmd = new NpgsqlCommand(
            "INSERT INTO app_user (email, password_hash, role, customer_id) SELECT e, @h, 'customer', c FROM unnest(@e, @c) AS x(e, c)", conn))
        {
            cmd.Parameters.AddWithValue("h", hash);
            cmd.Parameters.AddWithValue("e", emails);
            cmd.Parameters.AddWithValue("c", customers);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        var products = await ReadLongsAsync(conn, "SELECT product_id FROM product ORDER BY product_id", ct);
        var hot = await ReadLongsAsync(conn, $"SELECT article_id FROM article WHERE is_active ORDER BY article_id DESC LIMIT {hotArticles}", ct);
        await using (var cmd = new NpgsqlCommand("UPDATE article SET stock = @s WHERE article_id = ANY(@a)", conn))
        {
            cmd.Parameters.AddWithValue("s", stockEach);
            cmd.Parameters.AddWithValue("a", hot);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        return new BenchStore { Emails = emails, ProductIds = products, HotArticles = hot, StockEach = stockEach, CustomerIds = customers };
    }

    /// <summary>Units sold by the benchmark beyond the stock it started with (must be 0), plus any negative stock.</summary>
    public async Task<int> OversoldAsync(NpgsqlDataSource ds, CancellationToken ct)
    {
        await using var cmd = ds.CreateCommand("""
            SELECT coalesce(sum(greatest(sold - @s, 0)), 0)::int + (SELECT count(*)::int FROM article WHERE stock < 0)
                 + coalesce(sum(CASE WHEN a.stock <> @s - sold THEN 1 ELSE 0 END), 0)::int
            FROM (SELECT l.article_id, sum(l.quantity) AS sold
                  FROM order_line l JOIN orders o USING (order_id)
                  WHERE o.customer_id = ANY(@c) AND o.status <> 'cancelled' AND l.article_id = ANY(@a) AND o.placed_at > now() - interval '1 day'
                    AND o.external_ref IS NULL
                  GROUP BY l.article_id) x
            JOIN article a USING (article_id)
            """);
        cmd.Parameters.AddWithValue("s", StockEach);
        cmd.Parameters.AddWithValue("c", CustomerIds);
        cmd.Parameters.AddWithValue("a", HotArticles);
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static async Task<long[]> ReadLongsAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        var list = new List<long>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(r.GetInt64(0));
        return list.ToArray();
    }
}
