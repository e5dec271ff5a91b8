using System.Globalization;
using Atelier.Ml.Forecasting;
using Atelier.Services.Api;
using Npgsql;

namespace Atelier.Services.Forecasting;

/// <summary>
/// Inventory plan per active article, computed on request from the latest stored article-level forecast
/// (lead time and service level vary per request): days of cover, stock-out probability over the lead time,
/// reorder point and order-up-to quantity (review period one week) via <see cref="SeriesForecaster.Plan"/>.
/// Sorted by stock-out probability (highest first), keyset-paged.
/// </summary>
public sealed class InventoryPlanner(NpgsqlDataSource db)
{
    public const int ReviewDays = 7;

    /// <summary>Null when no article-level forecast of that frequency has been stored yet.</summary>
    public async Task<Page<InventoryPlanDto>?> PlanAsync(double leadTimeDays, double serviceLevel, bool onlyAtRisk, string frequency,
        int limit, (double Probability, long ArticleId)? after, CancellationToken ct)
    {
        var all = await PlanAllAsync(leadTimeDays, serviceLevel, frequency, ct);
        if (all is null) return null;
        IEnumerable<InventoryPlanDto> q = all;
        if (onlyAtRisk) q = q.Where(p => p.StockoutProbability > 1 - serviceLevel); // position below the reorder point
        if (after is { } a) q = q.Where(p => p.StockoutProbability < a.Probability || (p.StockoutProbability == a.Probability && p.ArticleId > a.ArticleId));
        var items = q.Take(limit + 1).ToList();
        string? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(limit);
            next = Cursor.Encode(items[^1].StockoutProbability.ToString("R", CultureInfo.InvariantCulture), items[^1].ArticleId);
        }
        return new Page<InventoryPlanDto>(items, next);
    }

    /// <summary>Plans for the given articles only (e.g. the low-stock report); empty when nothing is stored.</summary>
    public async Task<List<InventoryPlanDto>?> PlanAllAsync(double leadTimeDays, double serviceLevel, string frequency, CancellationToken ct,
        long[]? articleIds = null)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT a.article_id, a.article_code, a.product_id, p.name, a.stock, f.model, f.point, f.hi95
            FROM forecast f
            JOIN article a ON a.article_id::text = f.series_key
            JOIN product p ON p.product_id = a.product_id
            WHERE f.run_id = (SELECT run_id FROM forecast_run WHERE level = 'article' AND frequency = @f ORDER BY generated_at DESC, run_id DESC LIMIT 1)
              AND a.is_active {(articleIds is null ? "" : "AND a.article_id = ANY(@ids)")}
            ORDER BY a.article_id, f.period_start
            """);
        cmd.Parameters.AddWithValue("f", frequency);
        if (articleIds is not null) cmd.Parameters.AddWithValue("ids", articleIds);
        double days = ForecastLevels.DaysPerPeriod(frequency);
        var plans = new List<InventoryPlanDto>();
        var mean = new List<double>(); var hi = new List<double>();
        (long Id, string Code, long Product, string Name, int Stock, string Model)? cur = null;
        void Flush()
        {
            if (cur is not { } c) return;
            var m = mean.ToArray();
            var f = new IntervalForecast(m, m, m, m, [.. hi]); // Plan reads the mean and the 95% band only
            var plan = SeriesForecaster.Plan(f, c.Stock, 0, leadTimeDays / days, ReviewDays / days, serviceLevel);
            double cover = plan.DaysOfCover * days;
            plans.Add(new InventoryPlanDto(c.Id, c.Code, c.Product, c.Name, c.Stock, double.IsFinite(cover) ? Math.Round(cover, 2) : null,
                Math.Round(plan.LeadTimeDemand, 3), Math.Round(plan.StockoutProbability, 6), Math.Round(plan.ReorderPoint, 3),
                (int)Math.Ceiling(plan.OrderQuantity - 1e-9), c.Model));
            mean.Clear(); hi.Clear();
        }
        bool any = false;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                any = true;
                long id = r.GetInt64(0);
                if (cur is null || cur.Value.Id != id)
                {
                    Flush();
                    cur = (id, r.GetString(1), r.GetInt64(2), r.GetString(3), r.GetInt32(4), r.GetString(5));
                }
                mean.Add(r.GetDouble(6)); hi.Add(r.GetDouble(7));
            }
        }
        Flush();
        if (!any && !await HasRunAsync(frequency, ct)) return null;
        plans.Sort((x, y) => y.StockoutProbability != x.StockoutProbability ? y.StockoutProbability.CompareTo(x.StockoutProbability) : x.ArticleId.CompareTo(y.ArticleId));
        return plans;
    }

    private async Task<bool> HasRunAsync(string frequency, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT EXISTS (SELECT 1 FROM forecast_run WHERE level = 'article' AND frequency = @f)");
        cmd.Parameters.AddWithValue("f", frequency);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
