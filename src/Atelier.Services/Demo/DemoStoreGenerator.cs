using Npgsql;
using NpgsqlTypes;

namespace Atelier.Services.Demo;

public sealed record DemoStoreSummary(int Products, int Articles, int Customers, int Orders, int OrderLines, int Reviews,
    int Events = 0, double TrueUplift = 0);

/// <summary>
/// A small deterministic synthetic store for demos: catalogue, customers with style tastes, two years of orders
/// with weekly and yearly seasonality and repurchase, and reviews whose rating and text agree. Same seed, same store.
/// </summary>
public sealed class DemoStoreGenerator(NpgsqlDataSource dataSource)
{
    public async Task<DemoStoreSummary> GenerateAsync(int customers, int seed, CancellationToken ct)
    {
        var rng = new Random(seed);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);

        // Category tree: Store → department.
        var deptIds = new Dictionary<string, int>();
        var rootId = await ScalarAsync<int>(conn, "INSERT INTO category (name, slug) VALUES ('All', 'all') RETURNING category_id", ct);
        foreach (var d in DemoCatalog.Departments)
            deptIds[d] = await ScalarAsync<int>(conn, $"INSERT INTO category (parent_id, name, slug) VALUES ({rootId}, '{d}', '{d.ToLowerInvariant()}') RETURNING category_id", ct);
        var groups = new Dictionary<string, int>();
        foreach (var g in DemoCatalog.Types.Select(t => t.Group).Distinct())
            groups[g] = await ScalarAsync<int>(conn, $"INSERT INTO product_group (name) VALUES ('{g}') RETURNING product_group_id", ct);
        foreach (var t in DemoCatalog.Types)
            await ExecAsync(conn, $"INSERT INTO product_type (product_type_id, name, product_group_id) VALUES ({t.Id}, '{t.Name.Replace("'", "''")}', {groups[t.Group]})", ct);
        foreach (var (id, name) in DemoCatalog.Colours)
            await ExecAsync(conn, $"INSERT INTO colour (colour_id, name) VALUES ({id}, '{name}')", ct);

        // Catalogue: ~12 styles per product type, 2–3 colours each, every size.
        var articles = new List<(long Id, int TypeIndex, decimal Price)>();
        var productCount = 0;
        for (var ti = 0; ti < DemoCatalog.Types.Length; ti++)
        {
            var t = DemoCatalog.Types[ti];
            for (var s = 0; s < 12; s++)
            {
                var name = $"{DemoCatalog.Adjectives[rng.Next(DemoCatalog.Adjectives.Length)]} {t.Name.ToLowerInvariant()} {DemoCatalog.Styles[s % DemoCatalog.Styles.Length]}";
                var price = Math.Round(t.BasePrice * (decimal)(0.7 + rng.NextDouble() * 0.8), 0) - 0.01m;
                var productId = await ScalarAsync<long>(conn,
                    $"INSERT INTO product (product_code, name, description, product_type_id, category_id, season) VALUES ('D{t.Id:000}{s:00}', '{name}', '{name} in a {t.Season} weight, made to last.', {t.Id}, {deptIds[t.Department]}, '{t.Season}') RETURNING product_id", ct);
                productCount++;
                var colours = DemoCatalog.Colours.OrderBy(_ => rng.Next()).Take(2 + rng.Next(2)).ToArray();
                foreach (var (cid, _) in colours)
                    foreach (var size in t.Sizes)
                    {
                        var stock = rng.Next(0, 60);
                        var id = await ScalarAsync<long>(conn,
                            $"INSERT INTO article (article_code, product_id, colour_id, size, price, stock) VALUES ('D{t.Id:000}{s:00}{cid:00}-{size.Replace(" ", "")}', {productId}, {cid}, '{size}', {price.ToString(System.Globalization.CultureInfo.InvariantCulture)}, {stock}) RETURNING article_id", ct);
                        articles.Add((id, ti, price));
                    }
            }
        }

        // Customers with an age and a taste (preferred department).
        var customerIds = new long[customers];
        var taste = new int[customers];
        for (var i = 0; i < customers; i++)
        {
            var age = 18 + (int)Math.Abs(rng.NextDouble() * 20 + rng.NextDouble() * 30);
            customerIds[i] = await ScalarAsync<long>(conn, $"INSERT INTO customer (external_ref, age) VALUES ('demo-{seed}-{i}', {Math.Min(age, 90)}) RETURNING customer_id", ct);
            taste[i] = rng.Next(DemoCatalog.Departments.Length);
        }

        // Orders over two years: weekend peaks, seasons follow the product type, favourites get repurchased.
        var end = DateTime.UtcNow.Date;
        var start = end.AddDays(-730);
        var byDept = articles.GroupBy(a => DemoCatalog.Departments.ToList().IndexOf(DemoCatalog.Types[a.TypeIndex].Department))
            .ToDictionary(g => g.Key, g => g.ToArray());
        var experiment = await DemoActivity.CampaignsAsync(conn, rng, customerIds, end, seed, ct);
        var orders = new List<(long Customer, DateTime At, (long Article, int Qty, decimal Price)[] Lines, long? Campaign)>();
        for (var i = 0; i < customers; i++)
        {
            var n = 1 + (int)(-Math.Log(1 - rng.NextDouble()) * 4);
            (long, int, decimal)? favourite = null;
            for (var k = 0; k < n; k++)
            {
                var day = start.AddDays(rng.Next(730));
                // Weekend peak: some Monday/Tuesday orders move to Friday/Saturday (of the week before near the end,
                // so that no order lies in the future).
                if (day.DayOfWeek is DayOfWeek.Monday or DayOfWeek.Tuesday && rng.NextDouble() < 0.4) day = day.AddDays(day.AddDays(4) < end ? 4 : -3);
                var at = day.AddHours(8 + rng.Next(14)).AddMinutes(rng.Next(60));
                var pool = rng.NextDouble() < 0.75 ? byDept[taste[i]] : articles.ToArray();
                var lines = new List<(long, int, decimal)>();
                var count = 1 + rng.Next(3);
                for (var l = 0; l < count; l++)
                {
                    var a = pool[rng.Next(pool.Length)];
                    var season = DemoCatalog.Types[a.TypeIndex].Season;
                    if (!InSeason(season, at.Month) && rng.NextDouble() < 0.6) a = pool[rng.Next(pool.Length)];
                    if (lines.All(x => x.Item1 != a.Id)) lines.Add((a.Id, 1 + (rng.NextDouble() < 0.1 ? 1 : 0), a.Price));
                }
                if (favourite is { } fav && rng.NextDouble() < 0.3 && lines.All(x => x.Item1 != fav.Item1)) lines.Add(fav);
                favourite ??= lines[0];
                orders.Add((customerIds[i], at, lines.ToArray(), null));
            }
        }
        // The experiment's effect: treated customers buy once more in the window with probability TrueUplift.
        for (var i = 0; i < customers; i++)
            if (experiment.Treated[i] && rng.NextDouble() < DemoActivity.TrueUplift)
            {
                var pool = byDept[taste[i]];
                var a = pool[rng.Next(pool.Length)];
                var at = experiment.Start.AddDays(rng.Next(14)).AddHours(9 + rng.Next(12));
                orders.Add((customerIds[i], at, [(a.Id, 1, a.Price)], experiment.CampaignId));
            }
        orders.Sort((a, b) => a.At.CompareTo(b.At));

        var lineCount = 0;
        var orderIds = new long[orders.Count];
        await using (var w = await conn.BeginBinaryImportAsync("COPY orders (customer_id, placed_at, channel, status, external_ref, campaign_id) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var i = 0; i < orders.Count; i++)
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(orders[i].Customer, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(orders[i].At, NpgsqlDbType.TimestampTz, ct);
                await w.WriteAsync((short)(rng.NextDouble() < 0.7 ? 2 : 1), NpgsqlDbType.Smallint, ct);
                await w.WriteAsync("delivered", NpgsqlDbType.Text, ct);
                await w.WriteAsync($"demo-{seed}-o{i}", NpgsqlDbType.Text, ct);
                if (orders[i].Campaign is { } camp) await w.WriteAsync(camp, NpgsqlDbType.Bigint, ct); else await w.WriteNullAsync(ct);
            }
            await w.CompleteAsync(ct);
        }
        await using (var cmd = new NpgsqlCommand($"SELECT order_id FROM orders WHERE external_ref LIKE 'demo-{seed}-o%' ORDER BY placed_at, order_id", conn))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            for (var i = 0; await r.ReadAsync(ct); i++) orderIds[i] = r.GetInt64(0);
        await using (var w = await conn.BeginBinaryImportAsync("COPY order_line (order_id, line_no, article_id, quantity, unit_price) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var i = 0; i < orders.Count; i++)
                for (var l = 0; l < orders[i].Lines.Length; l++)
                {
                    var (article, qty, price) = orders[i].Lines[l];
                    await w.WriteRowAsync(ct, orderIds[i], (short)(l + 1), article, qty, price);
                    lineCount++;
                }
            await w.CompleteAsync(ct);
        }
        await ExecAsync(conn, """
            INSERT INTO payment (order_id, amount, method, status, created_at)
            SELECT t.order_id, t.total, 'card', 'captured', t.placed_at FROM order_total t
            WHERE NOT EXISTS (SELECT 1 FROM payment p WHERE p.order_id = t.order_id)
            """, ct);

        var events = await DemoActivity.EventsAsync(conn, rng, orders, articles.Select(a => a.Id).ToArray(), ct);

        // Reviews: rating drives the text; a share mention size and fit.
        var reviews = 0;
        string[] good = ["Love it, great quality.", "Beautiful colour and so comfortable.", "Perfect, exactly as pictured."];
        string[] mid = ["It's okay, the fabric is a bit thin.", "Nice but not great for the price."];
        string[] bad = ["Disappointed, the seams came apart.", "Poor quality, returned it."];
        string[] fit = [" Runs small, order one size up.", " True to size.", " Runs large, size down."];
        var reviewed = new HashSet<(long, long)>();
        foreach (var o in orders.Where((_, i) => i % 7 == 0))
        {
            var line = o.Lines[0];
            if (!reviewed.Add((o.Customer, line.Article))) continue;
            var rating = Math.Clamp((int)Math.Round(4.2 + rng.NextDouble() * 2 - 1.2 + (rng.NextDouble() < 0.15 ? -2.5 : 0)), 1, 5);
            var body = (rating >= 4 ? good : rating == 3 ? mid : bad)[rng.Next(2)] + (rng.NextDouble() < 0.35 ? fit[rng.Next(3)] : "");
            var writtenAt = o.At.AddDays(5 + rng.Next(20));
            if (writtenAt >= end) continue; // not written yet: a demo store has no reviews from the future
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO review (product_id, article_id, customer_id, rating, title, body, recommended, created_at, source)
                SELECT a.product_id, a.article_id, @c, @r, @t, @b, @r >= 4, @at, 'demo' FROM article a WHERE a.article_id = @a
                """, conn);
            cmd.Parameters.AddWithValue("c", o.Customer);
            cmd.Parameters.AddWithValue("a", line.Article);
            cmd.Parameters.AddWithValue("r", (short)rating);
            cmd.Parameters.AddWithValue("t", rating >= 4 ? "Great" : rating == 3 ? "Okay" : "Not for me");
            cmd.Parameters.AddWithValue("b", body);
            cmd.Parameters.AddWithValue("at", writtenAt);
            await cmd.ExecuteNonQueryAsync(ct);
            reviews++;
        }
        await tx.CommitAsync(ct);
        await using (var refresh = new NpgsqlCommand("SELECT refresh_import_derived()", conn)) await refresh.ExecuteNonQueryAsync(ct);
        return new DemoStoreSummary(productCount, articles.Count, customers, orders.Count, lineCount, reviews, events, DemoActivity.TrueUplift);
    }

    private static bool InSeason(string season, int month) => season switch
    {
        "summer" => month is >= 5 and <= 8,
        "winter" => month is >= 11 or <= 2,
        "spring" => month is >= 3 and <= 5,
        "autumn" => month is >= 9 and <= 11,
        _ => true,
    };

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static async Task ExecAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
