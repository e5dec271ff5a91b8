using Atelier.Ml.Recommenders;
using Atelier.Services.Hosting;
using Npgsql;

namespace Atelier.Services.Recommendations;

/// <summary>Thrown when no recommender version is in production yet.</summary>
public sealed class RecsNotReadyException() : Exception("no recommendation model is in production yet: run './atelier train recs'");

/// <summary>
/// Serves recommendations from the in-memory engine of the production model version. The engine reference is
/// replaced atomically (one volatile write) when <see cref="RecsModelWatcher"/> loads a newly promoted version, so a
/// request sees either the old or the new model, never a mix. Stock is read live (refreshed every few seconds), so
/// sold-out articles disappear without retraining.
/// </summary>
public sealed class RecommendationService(NpgsqlDataSource db, RecentViews? recentViews = null)
{
    private readonly RecentViews _recentViews = recentViews ?? new RecentViews(db);

    public const string ModelName = "recs-hybrid";
    private static readonly TimeSpan AvailabilityTtl = TimeSpan.FromSeconds(5);

    private volatile LoadedEngine? _current;
    private volatile Availability? _availability;
    private readonly SemaphoreSlim _refresh = new(1, 1);

    private sealed record LoadedEngine(RecsEngine Engine, int Version);
    private sealed record Availability(ItemSet Unavailable, DateTime ReadAt, RecsEngine For);

    public int? Version => _current?.Version;

    /// <summary>The engine and version being served now (null before the first model is loaded).</summary>
    public (RecsEngine Engine, int Version)? Serving => _current is { } c ? (c.Engine, c.Version) : null;

    public void Swap(RecsEngine engine, int version)
    {
        _current = new LoadedEngine(engine, version);
        AtelierMeter.SetServedRecommenderVersion(version);
    }

    public async Task<(IReadOnlyList<RecommendedArticle> Items, int Version)> ForCustomerAsync(long customerId, RecsRequest request, CancellationToken ct)
    {
        var (engine, version) = Current();
        int ageBand = engine.WantsSegmentOf(customerId) ? await AgeBandAsync(customerId, ct) : -1;
        var viewed = await _recentViews.ForCustomerAsync(customerId, ct);
        var unavailable = await UnavailableAsync(engine, ct);
        return (AtelierMeter.MeasureList("customer", version, () => engine.ForCustomer(customerId, request, unavailable, ageBand, viewed)), version);
    }

    // Age bands of customers the model does not know, kept as long as recent views are (an age rarely changes).
    private readonly CustomerCache<int> _ageBands = new(RecentViews.Ttl, 100_000, TimeProvider.System);

    /// <summary>A customer the model has not seen (no purchases when it was trained): their age band, read at most every 30 s.</summary>
    private async Task<int> AgeBandAsync(long customerId, CancellationToken ct)
    {
        var now = _ageBands.Now;
        if (_ageBands.TryGet(customerId, now, out var cached)) return cached;
        await using var cmd = db.CreateCommand("SELECT age FROM customer WHERE customer_id = $1");
        cmd.Parameters.AddWithValue(customerId);
        var band = await cmd.ExecuteScalarAsync(ct) is short age ? CustomerSegments.AgeBand(age) : -1;
        _ageBands.Set(customerId, band, now);
        return band;
    }

    public async Task<(IReadOnlyList<RecommendedArticle> Items, int Version)> SimilarAsync(long articleId, int n, CancellationToken ct)
    {
        var (engine, version) = Current();
        var unavailable = await UnavailableAsync(engine, ct);
        return (AtelierMeter.MeasureList("similar", version, () => engine.Similar(articleId, n, unavailable)), version);
    }

    public async Task<(IReadOnlyList<RecommendedArticle> Items, int Version)> OutfitAsync(IReadOnlyList<long> articleIds, int n, CancellationToken ct)
    {
        var (engine, version) = Current();
        var unavailable = await UnavailableAsync(engine, ct);
        return (AtelierMeter.MeasureList("outfit", version, () => engine.CompleteOutfit(articleIds, n, unavailable)), version);
    }

    public async Task<(IReadOnlyList<RecommendedArticle> Items, int Version)> ForSessionAsync(IReadOnlyList<long> recent, int n, CancellationToken ct)
    {
        var (engine, version) = Current();
        var unavailable = await UnavailableAsync(engine, ct);
        return (AtelierMeter.MeasureList("session", version, () => engine.ForSession(recent, n, unavailable)), version);
    }

    public bool Knows(long articleId) => _current?.Engine.Snapshot.ItemIndex(articleId) >= 0;

    private (RecsEngine, int) Current() => _current is { } c ? (c.Engine, c.Version) : throw new RecsNotReadyException();

    /// <summary>Out-of-stock and inactive articles as an item set of the given engine, cached for a few seconds.</summary>
    private async ValueTask<ItemSet> UnavailableAsync(RecsEngine engine, CancellationToken ct)
    {
        var a = _availability;
        if (a is not null && a.For == engine && DateTime.UtcNow - a.ReadAt < AvailabilityTtl) return a.Unavailable;
        await _refresh.WaitAsync(ct);
        try
        {
            a = _availability;
            if (a is not null && a.For == engine && DateTime.UtcNow - a.ReadAt < AvailabilityTtl) return a.Unavailable;
            var set = new ItemSet(engine.ItemCount);
            await using var cmd = db.CreateCommand("SELECT article_id FROM article WHERE stock <= 0 OR NOT is_active");
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var i = engine.Snapshot.ItemIndex(r.GetInt64(0));
                if (i >= 0) set.Add(i);
            }
            _availability = new Availability(set, DateTime.UtcNow, engine);
            return set;
        }
        finally
        {
            _refresh.Release();
        }
    }
}
