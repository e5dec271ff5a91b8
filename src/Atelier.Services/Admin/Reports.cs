using Npgsql;

namespace Atelier.Services.Admin;

/// <summary>Dashboard reports read straight from the reporting views.</summary>
public sealed class Reports(NpgsqlDataSource db, Forecasting.InventoryPlanner planner)
{
    /// <summary>Best sellers of all time, or of the UTC days [<paramref name="from"/>, <paramref name="to"/>] when given
    /// (read through the index on <c>orders.placed_at</c>, so a window costs its own sales, not the whole history).</summary>
    public Task<List<TopSellerDto>> TopSellersAsync(int limit, CancellationToken ct, DateOnly? from = null, DateOnly? to = null) =>
        from is null && to is null
            ? QueryAsync("SELECT product_id, product_code, name, units_sold, revenue, orders, sales_rank FROM top_selling_products ORDER BY sales_rank, product_id LIMIT @n",
                c => c.Parameters.AddWithValue("n", limit), ReadTopSeller, ct)
            : QueryAsync("""
                SELECT s.product_id, p.product_code, p.name, sum(s.quantity)::bigint, sum(s.revenue)::numeric(16, 4),
                       count(DISTINCT s.order_id)::bigint, rank() OVER (ORDER BY sum(s.quantity) DESC)
                FROM sales_line s JOIN product p ON p.product_id = s.product_id
                WHERE s.placed_at >= @f AND s.placed_at < @t
                GROUP BY s.product_id, p.product_code, p.name
                ORDER BY 7, 1 LIMIT @n
                """,
                c => { c.Parameters.AddWithValue("n", limit); BindDays(c, from ?? DateOnly.MinValue, to ?? DateOnly.MaxValue.AddDays(-1)); },
                ReadTopSeller, ct);

    private static TopSellerDto ReadTopSeller(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetDecimal(4), r.GetInt64(5), r.GetInt64(6));

    /// <summary>@f / @t: the UTC instants bounding the days [from, to] (half-open, so the index on placed_at applies).</summary>
    private static void BindDays(NpgsqlCommand c, DateOnly from, DateOnly to)
    {
        c.Parameters.AddWithValue("f", from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        c.Parameters.AddWithValue("t", to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
    }

    public async Task<List<LowStockDto>> LowStockAsync(int limit, CancellationToken ct)
    {
        var rows = await QueryAsync("SELECT article_id, article_code, product_id, product_name, colour, size, stock, reorder_level, shortfall FROM low_stock_items ORDER BY shortfall DESC, article_id LIMIT @n",
            c => c.Parameters.AddWithValue("n", limit),
            r => new LowStockDto(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetString(5),
                r.GetInt32(6), r.GetInt32(7), r.GetInt32(8)), ct);
        // Plan columns when an article forecast is stored (null for articles without one).
        var plans = rows.Count == 0 ? null : await planner.PlanAllAsync(14, 0.95, "weekly", ct, [.. rows.Select(r => r.ArticleId)]);
        if (plans is null) return rows;
        var byId = plans.ToDictionary(p => p.ArticleId);
        return [.. rows.Select(r => byId.TryGetValue(r.ArticleId, out var p)
            ? r with { ReorderPoint = p.ReorderPoint, StockoutProbability = p.StockoutProbability, SuggestedOrder = p.SuggestedOrder } : r)];
    }

    public Task<List<DailyRevenueDto>> DailyRevenueAsync(DateOnly from, DateOnly to, CancellationToken ct) =>
        // The daily_revenue view's definition over a placed_at range: the index bounds the scan to the window's orders.
        QueryAsync("""
            SELECT (s.placed_at AT TIME ZONE 'UTC')::date, count(DISTINCT s.order_id)::bigint, sum(s.quantity)::bigint,
                   sum(s.revenue)::numeric(16, 4), count(DISTINCT s.customer_id)::bigint
            FROM sales_line s WHERE s.placed_at >= @f AND s.placed_at < @t
            GROUP BY 1 ORDER BY 1
            """,
            c => BindDays(c, from, to),
            r => new DailyRevenueDto(r.GetFieldValue<DateOnly>(0), r.GetInt64(1), r.GetInt64(2), r.GetDecimal(3), r.GetInt64(4)), ct);

    public Task<List<CategorySalesDto>> CategorySalesAsync(DateOnly from, DateOnly to, CancellationToken ct) =>
        QueryAsync("SELECT week_start, category_id, category_name, units, revenue FROM category_sales_weekly WHERE week_start BETWEEN @f AND @t ORDER BY week_start, revenue DESC",
            c => { c.Parameters.AddWithValue("f", from); c.Parameters.AddWithValue("t", to); },
            r => new CategorySalesDto(r.GetFieldValue<DateOnly>(0), r.GetInt32(1), r.GetString(2), r.GetInt64(3), r.GetDecimal(4)), ct);

    /// <summary>The last day with a sale (UTC), so dashboards of imported history show its final weeks, not an empty "today".</summary>
    public async Task<DateOnly?> LatestSaleDayAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await SalesDays.LatestAsync(conn, ct);
    }

    private async Task<List<T>> QueryAsync<T>(string sql, Action<NpgsqlCommand> bind, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(sql);
        bind(cmd);
        var list = new List<T>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(read(r));
        return list;
    }
}
