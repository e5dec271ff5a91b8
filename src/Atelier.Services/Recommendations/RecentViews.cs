using Npgsql;

namespace Atelier.Services.Recommendations;

/// <summary>
/// A customer's latest viewed or carted articles (not bought since), which steer their recommendations on the next
/// request. Read from <c>event</c> and kept for <see cref="Ttl"/>; <see cref="Events.EventIngest"/> drops a customer's entry when it
/// writes their events, so on the instance that took the events the next request sees them. Another instance sees
/// them within <see cref="Ttl"/>.
/// </summary>
public sealed class RecentViews(NpgsqlDataSource db, TimeProvider? clock = null)
{
    /// <summary>How many of the latest views / add-to-carts count, and how far back.</summary>
    public const int Limit = 20;
    public static readonly TimeSpan Window = TimeSpan.FromDays(7);
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private const int MaxEntries = 200_000;

    private readonly CustomerCache<long[]> _cache = new(Ttl, MaxEntries, clock ?? TimeProvider.System);

    /// <summary>Database reads so far (cache misses); for tests and diagnostics.</summary>
    public int Reads => _reads;
    private int _reads;

    /// <summary>The customer's latest viewed or carted articles within <see cref="Window"/>, oldest first.</summary>
    public async ValueTask<IReadOnlyList<long>> ForCustomerAsync(long customerId, CancellationToken ct)
    {
        var now = _cache.Now;
        if (_cache.TryGet(customerId, now, out var hit)) return hit;
        Interlocked.Increment(ref _reads);
        // Both bounds are parameters of an unnamed statement, so PostgreSQL prunes the monthly partitions when planning
        // (a bound computed from now() in SQL leaves every partition in the plan: ≈ 29 ms of planning with 113 of them).
        // One index range scan, newest first: purchases and views together, so an article bought after (or before,
        // within the window) being viewed is left out without a second scan.
        await using var cmd = db.CreateCommand("""
            SELECT article_id, event_type = 'purchase' FROM event
            WHERE customer_id = $1 AND occurred_at > $2 AND occurred_at <= $3
              AND event_type IN ('view', 'add_to_cart', 'purchase') AND article_id IS NOT NULL
            ORDER BY occurred_at DESC LIMIT $4
            """);
        cmd.Parameters.AddWithValue(customerId);
        cmd.Parameters.AddWithValue((now - Window).UtcDateTime);
        cmd.Parameters.AddWithValue(now.AddMinutes(5).UtcDateTime); // the events API accepts up to 5 minutes of clock skew
        cmd.Parameters.AddWithValue(Limit * 5);
        var events = new List<(long Article, bool Purchase)>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) events.Add((r.GetInt64(0), r.GetBoolean(1)));
        var bought = events.Where(e => e.Purchase).Select(e => e.Article).ToHashSet();
        var list = events.Where(e => !e.Purchase && !bought.Contains(e.Article)).Select(e => e.Article).Take(Limit).ToList();
        list.Reverse();
        var articles = list.Count == 0 ? [] : list.ToArray();
        _cache.Set(customerId, articles, now);
        return articles;
    }

    /// <summary>The customer has new events: read them again on their next request.</summary>
    public void Invalidate(long customerId) => _cache.Invalidate(customerId);
}
