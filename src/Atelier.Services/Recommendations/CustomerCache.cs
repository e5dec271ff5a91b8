using System.Collections.Concurrent;

namespace Atelier.Services.Recommendations;

/// <summary>
/// Per-customer values read from the database at request time and kept for a short while (recent views, the age band
/// of a customer the model does not know). Past <c>maxEntries</c>, a write first sweeps out the expired entries, so
/// memory stays bounded under a crawl of customer ids.
/// </summary>
internal sealed class CustomerCache<T>(TimeSpan ttl, int maxEntries, TimeProvider clock)
{
    private readonly ConcurrentDictionary<long, (T Value, DateTimeOffset ReadAt)> _entries = new();

    public DateTimeOffset Now => clock.GetUtcNow();

    public bool TryGet(long customerId, DateTimeOffset now, out T value)
    {
        if (_entries.TryGetValue(customerId, out var hit) && now - hit.ReadAt < ttl)
        {
            value = hit.Value;
            return true;
        }
        value = default!;
        return false;
    }

    public void Set(long customerId, T value, DateTimeOffset readAt)
    {
        if (_entries.Count >= maxEntries)
            foreach (var (key, entry) in _entries)
                if (readAt - entry.ReadAt >= ttl) _entries.TryRemove(key, out _);
        _entries[customerId] = (value, readAt);
    }

    public void Invalidate(long customerId) => _entries.TryRemove(customerId, out _);
}
