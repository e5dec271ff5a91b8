using Atelier.Services.Models;
using Npgsql;

namespace Atelier.Services.Recommendations;

/// <summary>The stored nightly batch: which version wrote it, how many rows for how many customers, when.</summary>
public sealed record RecsBatchSummary(int ModelVersion, long Rows, long Customers, DateTimeOffset GeneratedAt);

/// <summary>
/// What the served lists led to, from the shop's tracked events: recommendation clicks of signed-in customers in the
/// last <see cref="Days"/> days, the clicked (customer, article) pairs, how many of those the customer then bought within
/// 7 days of the click (so far: recent clicks have had less time), and the revenue of those purchases.
/// </summary>
public sealed record RecsOnlineDto(int Days, long Clicks, long Customers, long ClickedPairs, long PairsBought, decimal Revenue)
{
    public double? Conversion => ClickedPairs == 0 ? null : PairsBought / (double)ClickedPairs;
}

/// <summary>The promotion gate in words and figures, as the registry applies it to this model.</summary>
public sealed record PromotionGateDto(string Metric, double Tolerance, string? Floor, string Description);

/// <summary>
/// Everything staff need to trust the recommender: the version this instance serves and the registry's production
/// version (they differ for up to one poll interval after a promotion), every version with its hold-out figures and
/// stage, the latest training runs, the stored nightly batch and the state of an on-demand retraining.
/// </summary>
public sealed record RecsModelsDto(string ModelName, int? ServingVersion, int? ProductionVersion, PromotionGateDto Gate,
    IReadOnlyList<ModelVersionInfo> Versions, IReadOnlyList<ModelRunInfo> Runs, RecsBatchSummary? Batch, RecsRetrainStatus Retrain,
    RecsOnlineDto Online);

/// <summary>Reads and changes the recommender's place in the registry for the admin API and pages.</summary>
public sealed class RecsAdmin(NpgsqlDataSource db, ModelRegistry registry, RecommendationService service, RecsRetrainJob retrain,
    TimeProvider clock)
{
    public const int RunsShown = 20;
    public const int OnlineDays = 7;

    public static PromotionGateDto GateDto { get; } = new(RecsTrainer.Gate.Metric, RecsTrainer.Gate.Tolerance, RecsTrainer.Gate.Floor,
        $"{RecsTrainer.Gate.Metric} on the version's 7-day hold-out at least {1 - RecsTrainer.Gate.Tolerance:0%} of production's, "
        + $"and not below {RecsTrainer.Gate.Floor} (the best sellers for everyone, same hold-out)");

    public async Task<RecsModelsDto> OverviewAsync(CancellationToken ct)
    {
        var versions = await registry.ListAsync(RecommendationService.ModelName, ct);
        var runs = await registry.RunsAsync(RecommendationService.ModelName, RunsShown, ct);
        RecsBatchSummary? batch = null;
        // The batch is swapped in whole (RecsBatchWriter), so it holds one version.
        await using (var cmd = db.CreateCommand("""
            SELECT model_version, count(*), count(DISTINCT customer_id), max(generated_at) FROM recommendation_batch
            WHERE model_name = $1 GROUP BY model_version ORDER BY max(generated_at) DESC LIMIT 1
            """))
        {
            cmd.Parameters.AddWithValue(RecommendationService.ModelName);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (await r.ReadAsync(ct)) batch = new RecsBatchSummary(r.GetInt32(0), r.GetInt64(1), r.GetInt64(2), r.GetFieldValue<DateTimeOffset>(3));
        }
        return new RecsModelsDto(RecommendationService.ModelName, service.Version,
            versions.FirstOrDefault(v => v.Stage == "production")?.Version, GateDto, versions, runs, batch, retrain.Status,
            await OnlineAsync(ct));
    }

    public async Task<RecsOnlineDto> OnlineAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // Both bounds are parameters (not now()), so PostgreSQL prunes the event partitions at plan time.
        await using var cmd = db.CreateCommand("""
            WITH click AS (
                SELECT customer_id, article_id, min(occurred_at) AS clicked_at, count(*) AS n
                FROM event
                WHERE event_type = 'recommendation_click' AND occurred_at >= $1 AND occurred_at < $2
                  AND customer_id IS NOT NULL AND article_id IS NOT NULL
                GROUP BY customer_id, article_id)
            SELECT coalesce(sum(c.n), 0)::bigint, count(DISTINCT c.customer_id), count(*),
                   count(*) FILTER (WHERE b.lines > 0), coalesce(sum(b.revenue), 0)::numeric
            FROM click c
            CROSS JOIN LATERAL (
                SELECT count(*) AS lines, sum(s.revenue) AS revenue FROM sales_line s
                WHERE s.customer_id = c.customer_id AND s.article_id = c.article_id
                  AND s.placed_at >= c.clicked_at AND s.placed_at < c.clicked_at + interval '7 days') b
            """);
        cmd.Parameters.AddWithValue(now.AddDays(-OnlineDays));
        cmd.Parameters.AddWithValue(now);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new RecsOnlineDto(OnlineDays, r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetDecimal(4));
    }

    /// <summary>Promotes a version through the gate, or unconditionally with <paramref name="force"/> (a rollback to an
    /// archived version); null when the version does not exist. Servers load the new production version on their next poll.</summary>
    public async Task<PromotionResult?> PromoteAsync(int version, bool force, string? actor, CancellationToken ct)
    {
        try
        {
            return await registry.PromoteAsync(RecommendationService.ModelName, version, RecsTrainer.Gate, force, ct, actor);
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
    }

    public bool StartRetraining() => retrain.TryStart();
}
