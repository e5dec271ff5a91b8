using Atelier.Services.Api;
using Npgsql;
using NpgsqlTypes;

namespace Atelier.Services.Events;

public sealed record TrackedEvent(string? Type, long? ArticleId, long? CampaignId, DateTimeOffset? OccurredAt);

public sealed record EventBatch(Guid? SessionId, IReadOnlyList<TrackedEvent>? Events);

public sealed record EventBatchAccepted(int Accepted, bool AttributedToCustomer);

/// <summary>
/// Behavioural event ingestion: validates a batch against the catalogue, then writes it with one binary COPY.
/// Events of a session already linked to a customer (see <c>merge_session</c>) carry that customer.
/// </summary>
public sealed class EventIngest(NpgsqlDataSource db, Recommendations.RecentViews? recentViews = null)
{
    public const int MaxBatch = 500;

    /// <summary>API names → stored event types ("cart" is shorthand for add_to_cart).</summary>
    public static readonly IReadOnlyDictionary<string, string> Types = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["view"] = "view", ["cart"] = "add_to_cart", ["add_to_cart"] = "add_to_cart", ["remove_from_cart"] = "remove_from_cart",
        ["purchase"] = "purchase", ["recommendation_click"] = "recommendation_click",
    };

    public static Validation Validate(EventBatch? batch, DateTimeOffset now)
    {
        var v = new Validation();
        if (batch is null) return v.Add("body", "a JSON body is required");
        v.Require(batch.SessionId is { } s && s != Guid.Empty, "sessionId", "a non-empty session id (UUID) is required");
        if (batch.Events is null || batch.Events.Count == 0) return v.Add("events", "at least one event is required");
        if (batch.Events.Count > MaxBatch) return v.Add("events", $"at most {MaxBatch} events per batch");
        for (var i = 0; i < batch.Events.Count; i++)
        {
            var e = batch.Events[i];
            if (e is null) { v.Add($"events[{i}]", "an event object is required"); continue; }
            v.Require(e.Type is not null && Types.ContainsKey(e.Type), $"events[{i}].type", $"one of: {string.Join(", ", Types.Keys)}");
            v.Require(e.ArticleId is > 0, $"events[{i}].articleId", "a positive article id is required");
            v.Require(e.CampaignId is null or > 0, $"events[{i}].campaignId", "must be a positive campaign id");
            v.Require(e.OccurredAt is null || (e.OccurredAt > now.AddDays(-7) && e.OccurredAt < now.AddMinutes(5)),
                $"events[{i}].occurredAt", "must be within the last 7 days and not in the future");
        }
        return v;
    }

    /// <summary>Checks that the referenced articles and campaigns exist; returns field errors for those that do not.</summary>
    public async Task<Validation> CheckReferencesAsync(EventBatch batch, CancellationToken ct)
    {
        var events = batch.Events!;
        await using var cmd = db.CreateCommand("""
            SELECT array(SELECT article_id FROM article WHERE article_id = ANY(@a)),
                   array(SELECT campaign_id FROM campaign WHERE campaign_id = ANY(@c))
            """);
        cmd.Parameters.AddWithValue("a", events.Select(e => e.ArticleId!.Value).Distinct().ToArray());
        cmd.Parameters.AddWithValue("c", events.Where(e => e.CampaignId is not null).Select(e => e.CampaignId!.Value).Distinct().ToArray());
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var articles = r.GetFieldValue<long[]>(0).ToHashSet();
        var campaigns = r.GetFieldValue<long[]>(1).ToHashSet();
        var v = new Validation();
        for (var i = 0; i < events.Count; i++)
        {
            v.Require(articles.Contains(events[i].ArticleId!.Value), $"events[{i}].articleId", $"article {events[i].ArticleId} does not exist");
            if (events[i].CampaignId is { } c) v.Require(campaigns.Contains(c), $"events[{i}].campaignId", $"campaign {c} does not exist");
        }
        return v;
    }

    /// <summary>Writes a validated batch; a signed-in customer owns the events, else the session's linked customer.</summary>
    public async Task<EventBatchAccepted> WriteAsync(EventBatch batch, long? customerId, CancellationToken ct)
    {
        var session = batch.SessionId!.Value;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var s = new NpgsqlCommand("""
            INSERT INTO web_session (session_id) VALUES (@s) ON CONFLICT (session_id) DO NOTHING;
            SELECT customer_id FROM web_session WHERE session_id = @s;
            """, conn, tx))
        {
            s.Parameters.AddWithValue("s", session);
            customerId ??= await s.ExecuteScalarAsync(ct) as long?;
        }
        var now = DateTimeOffset.UtcNow;
        await using (var w = await conn.BeginBinaryImportAsync(
            "COPY event (occurred_at, event_type, session_id, customer_id, article_id, campaign_id) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var e in batch.Events!)
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync((e.OccurredAt ?? now).ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
                await w.WriteAsync(Types[e.Type!], NpgsqlDbType.Text, ct);
                await w.WriteAsync(session, NpgsqlDbType.Uuid, ct);
                if (customerId is { } c) await w.WriteAsync(c, NpgsqlDbType.Bigint, ct); else await w.WriteNullAsync(ct);
                await w.WriteAsync(e.ArticleId!.Value, NpgsqlDbType.Bigint, ct);
                if (e.CampaignId is { } k) await w.WriteAsync(k, NpgsqlDbType.Bigint, ct); else await w.WriteNullAsync(ct);
            }
            await w.CompleteAsync(ct);
        }
        await tx.CommitAsync(ct);
        if (customerId is { } owner) recentViews?.Invalidate(owner); // their next recommendations follow these events
        return new EventBatchAccepted(batch.Events!.Count, customerId is not null);
    }
}
