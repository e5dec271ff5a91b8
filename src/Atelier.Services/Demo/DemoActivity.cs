using Npgsql;
using NpgsqlTypes;

namespace Atelier.Services.Demo;

/// <summary>
/// The marketing and behaviour layer of the demo store: influencers, campaigns (one randomised e-mail experiment
/// with a known true uplift, an influencer push, a seasonal sale) and browsing sessions as events.
/// </summary>
internal static class DemoActivity
{
    /// <summary>True uplift of the experiment: treated customers buy once more in the window with this probability.</summary>
    public const double TrueUplift = 0.06;

    public sealed record Experiment(long CampaignId, DateTime Start, DateTime End, bool[] Treated);

    public static async Task<Experiment> CampaignsAsync(NpgsqlConnection conn, Random rng, long[] customers, DateTime end, int seed, CancellationToken ct)
    {
        (string Handle, string Name, string Platform, int Followers)[] influencers =
        [
            ("@linen.and.light", "Maja Lind", "instagram", 182_000), ("@streetknit", "Theo Brandt", "tiktok", 640_000),
            ("@capsulecloset", "Ana Ruiz", "youtube", 95_000), ("@slowfashionnotes", "Iris Holm", "blog", 21_000),
            ("@denimdaily", "Kofi Mensah", "instagram", 310_000), ("@tinytrends", "Lea Novak", "tiktok", 1_200_000),
        ];
        var ids = new List<long>();
        foreach (var i in influencers)
        {
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO influencer (handle, name, platform, followers) VALUES (@h, @n, @p, @f)
                ON CONFLICT (handle) DO UPDATE SET followers = EXCLUDED.followers RETURNING influencer_id
                """, conn);
            cmd.Parameters.AddWithValue("h", i.Handle);
            cmd.Parameters.AddWithValue("n", i.Name);
            cmd.Parameters.AddWithValue("p", i.Platform);
            cmd.Parameters.AddWithValue("f", i.Followers);
            ids.Add((long)(await cmd.ExecuteScalarAsync(ct))!);
        }
        var expStart = end.AddDays(-60);
        var experiment = await CampaignAsync(conn, $"Demo e-mail experiment (seed {seed})", "experiment", expStart, expStart.AddDays(14), 500m, null, ct);
        var push = await CampaignAsync(conn, $"Demo influencer autumn push (seed {seed})", "influencer", end.AddDays(-200), end.AddDays(-170), 0m, null, ct);
        await CampaignAsync(conn, $"Demo winter sale (seed {seed})", "discount", end.AddDays(-120), end.AddDays(-106), 0m, 20m, ct);
        foreach (var id in ids.Take(3))
        {
            await using var cmd = new NpgsqlCommand("INSERT INTO campaign_influencer (campaign_id, influencer_id, fee, posts) VALUES (@c, @i, @f, @p)", conn);
            cmd.Parameters.AddWithValue("c", push);
            cmd.Parameters.AddWithValue("i", id);
            cmd.Parameters.AddWithValue("f", (decimal)rng.Next(5, 40) * 100m);
            cmd.Parameters.AddWithValue("p", rng.Next(1, 5));
            await cmd.ExecuteNonQueryAsync(ct);
        }
        // Randomised 50/50 assignment of every customer.
        var treated = new bool[customers.Length];
        await using (var w = await conn.BeginBinaryImportAsync("COPY campaign_assignment (campaign_id, customer_id, treated, arm) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var i = 0; i < customers.Length; i++)
            {
                treated[i] = rng.NextDouble() < 0.5;
                await w.WriteRowAsync(ct, experiment, customers[i], treated[i], treated[i] ? "email" : "control");
            }
            await w.CompleteAsync(ct);
        }
        return new Experiment(experiment, expStart, expStart.AddDays(14), treated);
    }

    private static async Task<long> CampaignAsync(NpgsqlConnection conn, string name, string kind, DateTime start, DateTime end,
        decimal budget, decimal? discount, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO campaign (name, kind, starts_at, ends_at, budget, discount_pct) VALUES (@n, @k, @s, @e, @b, @d) RETURNING campaign_id
            """, conn);
        cmd.Parameters.AddWithValue("n", name);
        cmd.Parameters.AddWithValue("k", kind);
        cmd.Parameters.AddWithValue("s", start);
        cmd.Parameters.AddWithValue("e", end);
        cmd.Parameters.AddWithValue("b", budget);
        cmd.Parameters.AddWithValue("d", (object?)discount ?? DBNull.Value);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// One session per order (views of a few articles, add-to-cart of the bought ones, the purchase) plus browse-only
    /// sessions, as events. Returns the number of events.
    /// </summary>
    public static async Task<int> EventsAsync(NpgsqlConnection conn, Random rng,
        IReadOnlyList<(long Customer, DateTime At, (long Article, int Qty, decimal Price)[] Lines, long? Campaign)> orders,
        long[] articleIds, CancellationToken ct)
    {
        var count = 0;
        await using var w = await conn.BeginBinaryImportAsync(
            "COPY event (occurred_at, event_type, session_id, customer_id, article_id, campaign_id) FROM STDIN (FORMAT BINARY)", ct);
        var guid = new byte[16];
        foreach (var o in orders)
        {
            rng.NextBytes(guid);
            var session = new Guid(guid);
            // At most 4 browsing views (≤ 220 s apart) and 3 lines (view + cart, ≤ 95 s): ≤ 20 minutes before the purchase.
            var t = o.At.AddMinutes(-25 - rng.Next(40));
            var browse = 1 + rng.Next(4);
            for (var b = 0; b < browse; b++, count++)
                await Row(w, t = t.AddSeconds(20 + rng.Next(200)), "view", session, o.Customer, articleIds[rng.Next(articleIds.Length)], o.Campaign, ct);
            foreach (var l in o.Lines)
            {
                await Row(w, t = t.AddSeconds(10 + rng.Next(60)), "view", session, o.Customer, l.Article, o.Campaign, ct);
                await Row(w, t = t.AddSeconds(5 + rng.Next(30)), "add_to_cart", session, o.Customer, l.Article, o.Campaign, ct);
                count += 2;
            }
            foreach (var l in o.Lines)
            {
                await Row(w, o.At, "purchase", session, o.Customer, l.Article, o.Campaign, ct);
                count++;
            }
            // Abandoned browsing: a third of orders come with an earlier session that bought nothing.
            if (rng.NextDouble() < 0.33)
            {
                rng.NextBytes(guid);
                var s2 = new Guid(guid);
                var t2 = o.At.AddDays(-1 - rng.Next(10));
                var a = articleIds[rng.Next(articleIds.Length)];
                await Row(w, t2, "view", s2, o.Customer, a, null, ct);
                count++;
                if (rng.NextDouble() < 0.4)
                {
                    await Row(w, t2.AddSeconds(40), "add_to_cart", s2, o.Customer, a, null, ct);
                    await Row(w, t2.AddSeconds(90), "remove_from_cart", s2, o.Customer, a, null, ct);
                    count += 2;
                }
            }
        }
        await w.CompleteAsync(ct);
        return count;
    }

    private static async Task Row(NpgsqlBinaryImporter w, DateTime at, string type, Guid session, long customer, long article, long? campaign, CancellationToken ct)
    {
        await w.StartRowAsync(ct);
        await w.WriteAsync(at, NpgsqlDbType.TimestampTz, ct);
        await w.WriteAsync(type, NpgsqlDbType.Text, ct);
        await w.WriteAsync(session, NpgsqlDbType.Uuid, ct);
        await w.WriteAsync(customer, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(article, NpgsqlDbType.Bigint, ct);
        if (campaign is { } c) await w.WriteAsync(c, NpgsqlDbType.Bigint, ct); else await w.WriteNullAsync(ct);
    }
}
