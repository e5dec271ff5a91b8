using Atelier.Services.Api;
using Npgsql;
using NpgsqlTypes;

namespace Atelier.Services.Admin;

/// <summary>Campaigns, influencers, their links, and the campaign summary report.</summary>
public sealed class CampaignAdmin(NpgsqlDataSource db)
{
    public static readonly string[] Kinds = ["discount", "email", "influencer", "social", "experiment"];
    public static readonly string[] Platforms = ["instagram", "tiktok", "youtube", "blog", "other"];

    public async Task<IReadOnlyList<CampaignDto>> ListAsync(CancellationToken ct) => await ReadAsync(null, ct);

    public async Task<CampaignDto?> GetAsync(long id, CancellationToken ct) => (await ReadAsync(id, ct)).FirstOrDefault();

    private async Task<List<CampaignDto>> ReadAsync(long? id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT c.campaign_id, c.name, c.kind, c.starts_at, c.ends_at, c.budget, c.discount_pct, ci.influencer_id, i.handle, ci.fee, ci.posts
            FROM campaign c
            LEFT JOIN campaign_influencer ci ON ci.campaign_id = c.campaign_id
            LEFT JOIN influencer i ON i.influencer_id = ci.influencer_id
            WHERE @id::bigint IS NULL OR c.campaign_id = @id
            ORDER BY c.starts_at DESC, c.campaign_id, ci.influencer_id
            """);
        cmd.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Bigint) { Value = (object?)id ?? DBNull.Value });
        var list = new List<CampaignDto>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var cid = r.GetInt64(0);
            if (list.Count == 0 || list[^1].CampaignId != cid)
                list.Add(new CampaignDto(cid, r.GetString(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3), r.GetFieldValue<DateTimeOffset>(4),
                    r.GetDecimal(5), r.IsDBNull(6) ? null : r.GetDecimal(6), new List<CampaignInfluencerDto>()));
            if (!r.IsDBNull(7))
                ((List<CampaignInfluencerDto>)list[^1].Influencers).Add(new CampaignInfluencerDto(r.GetInt64(7), r.GetString(8), r.GetDecimal(9), r.GetInt32(10)));
        }
        return list;
    }

    /// <summary>Insert (id null) or update; null when updating a campaign that does not exist.</summary>
    public async Task<CampaignDto?> SaveAsync(long? id, CampaignRequest q, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(id is null
            ? "INSERT INTO campaign (name, kind, starts_at, ends_at, budget, discount_pct) VALUES (@n, @k, @s, @e, @b, @d) RETURNING campaign_id"
            : "UPDATE campaign SET name = @n, kind = @k, starts_at = @s, ends_at = @e, budget = @b, discount_pct = @d WHERE campaign_id = @id RETURNING campaign_id");
        cmd.Parameters.AddWithValue("n", q.Name!);
        cmd.Parameters.AddWithValue("k", q.Kind!);
        cmd.Parameters.AddWithValue("s", q.StartsAt!.Value.ToUniversalTime());
        cmd.Parameters.AddWithValue("e", q.EndsAt!.Value.ToUniversalTime());
        cmd.Parameters.AddWithValue("b", q.Budget ?? 0m);
        cmd.Parameters.Add(new NpgsqlParameter("d", NpgsqlDbType.Numeric) { Value = (object?)q.DiscountPct ?? DBNull.Value });
        if (id is not null) cmd.Parameters.AddWithValue("id", id.Value);
        try
        {
            return await cmd.ExecuteScalarAsync(ct) is long saved ? await GetAsync(saved, ct) : null;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Duplicate campaign", $"a campaign named '{q.Name}' already exists", "name");
        }
    }

    public Task<bool> DeleteAsync(long id, CancellationToken ct) => ExecAsync("DELETE FROM campaign WHERE campaign_id = @id", ct, ("id", id));

    /// <summary>Adds or updates an influencer's engagement on a campaign; false when either does not exist.</summary>
    public async Task<bool> LinkInfluencerAsync(long campaignId, long influencerId, decimal fee, int posts, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO campaign_influencer (campaign_id, influencer_id, fee, posts)
            SELECT c.campaign_id, i.influencer_id, @f, @p FROM campaign c, influencer i WHERE c.campaign_id = @c AND i.influencer_id = @i
            ON CONFLICT (campaign_id, influencer_id) DO UPDATE SET fee = excluded.fee, posts = excluded.posts
            """);
        cmd.Parameters.AddWithValue("c", campaignId);
        cmd.Parameters.AddWithValue("i", influencerId);
        cmd.Parameters.AddWithValue("f", fee);
        cmd.Parameters.AddWithValue("p", posts);
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    public Task<bool> UnlinkInfluencerAsync(long campaignId, long influencerId, CancellationToken ct) =>
        ExecAsync("DELETE FROM campaign_influencer WHERE campaign_id = @c AND influencer_id = @i", ct, ("c", campaignId), ("i", influencerId));

    public async Task<CampaignSummaryDto?> SummaryAsync(long id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT * FROM campaign_summary(@id)");
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new CampaignSummaryDto(r.GetInt64(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.GetFieldValue<DateTimeOffset>(3),
            r.GetDecimal(4), r.GetInt64(5), r.GetInt64(6), r.GetDecimal(7), r.GetInt64(8), r.GetDecimal(9), r.GetInt64(10), r.GetDecimal(11),
            r.IsDBNull(12) ? null : r.GetDecimal(12));
    }

    public async Task<IReadOnlyList<InfluencerDto>> InfluencersAsync(long? id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "SELECT influencer_id, handle, name, platform, followers FROM influencer WHERE @id::bigint IS NULL OR influencer_id = @id ORDER BY influencer_id");
        cmd.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Bigint) { Value = (object?)id ?? DBNull.Value });
        var list = new List<InfluencerDto>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(new InfluencerDto(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4)));
        return list;
    }

    public async Task<InfluencerDto?> SaveInfluencerAsync(long? id, InfluencerRequest q, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(id is null
            ? "INSERT INTO influencer (handle, name, platform, followers) VALUES (@h, @n, @p, @f) RETURNING influencer_id"
            : "UPDATE influencer SET handle = @h, name = @n, platform = @p, followers = @f WHERE influencer_id = @id RETURNING influencer_id");
        cmd.Parameters.AddWithValue("h", q.Handle!);
        cmd.Parameters.AddWithValue("n", q.Name!);
        cmd.Parameters.AddWithValue("p", q.Platform!);
        cmd.Parameters.AddWithValue("f", q.Followers!.Value);
        if (id is not null) cmd.Parameters.AddWithValue("id", id.Value);
        try
        {
            return await cmd.ExecuteScalarAsync(ct) is long saved ? (await InfluencersAsync(saved, ct))[0] : null;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Duplicate influencer", $"the handle '{q.Handle}' is taken", "handle");
        }
    }

    public async Task<bool> DeleteInfluencerAsync(long id, CancellationToken ct)
    {
        try
        {
            return await ExecAsync("DELETE FROM influencer WHERE influencer_id = @id", ct, ("id", id));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Influencer in use", $"influencer {id} is linked to campaigns: unlink it first");
        }
    }

    private async Task<bool> ExecAsync(string sql, CancellationToken ct, params (string Name, long Value)[] ps)
    {
        await using var cmd = db.CreateCommand(sql);
        foreach (var (n, v) in ps) cmd.Parameters.AddWithValue(n, v);
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }
}
