using System.Text.Json;
using Npgsql;

namespace Atelier.Services.Insights;

/// <summary>Reads the stored insights for the API (projections straight to DTOs).</summary>
public sealed class InsightQueries(NpgsqlDataSource db)
{
    public async Task<SegmentsDto> SegmentsAsync(CancellationToken ct)
    {
        var segments = new List<SegmentDto>();
        DateTime? asOf = null; int? k = null; double? sil = null;
        await using (var cmd = db.CreateCommand("""
            SELECT cluster_id, name, size, share, mean_recency_days, mean_frequency, mean_monetary, method, k, silhouette, as_of
            FROM customer_segment ORDER BY cluster_id
            """))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                segments.Add(new SegmentDto(r.GetInt16(0), r.GetString(1), r.GetInt32(2), Math.Round(r.GetFloat(3), 4), Math.Round(r.GetDouble(4), 1),
                    Math.Round(r.GetDouble(5), 2), Math.Round(r.GetDecimal(6), 2), r.GetString(7)));
                k = r.GetInt16(8); sil = r.IsDBNull(9) ? null : Math.Round(r.GetFloat(9), 4); asOf = r.GetDateTime(10);
            }
        var groups = new List<RfmGroupCountDto>();
        await using (var cmd = db.CreateCommand("SELECT rfm_group, count(*)::int, max(as_of) FROM customer_insight GROUP BY rfm_group ORDER BY 2 DESC, 1"))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                groups.Add(new RfmGroupCountDto(r.GetString(0), r.GetInt32(1)));
                asOf ??= r.GetDateTime(2);
            }
        return new SegmentsDto(asOf, k, sil, segments, groups);
    }

    /// <summary>Null when the customer does not exist; a customer without sales has no insight and no orders.</summary>
    public async Task<Customer360Dto?> Customer360Async(long customerId, CancellationToken ct)
    {
        await using (var exists = db.CreateCommand("SELECT 1 FROM customer WHERE customer_id = @c"))
        {
            exists.Parameters.AddWithValue("c", customerId);
            if (await exists.ExecuteScalarAsync(ct) is null) return null;
        }
        int orders = 0; decimal spent = 0; DateTime? last = null;
        await using (var cmd = db.CreateCommand(
            "SELECT count(DISTINCT order_id)::int, coalesce(sum(revenue), 0), max(placed_at) FROM sales_line WHERE customer_id = @c"))
        {
            cmd.Parameters.AddWithValue("c", customerId);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (await r.ReadAsync(ct)) { orders = r.GetInt32(0); spent = Math.Round(r.GetDecimal(1), 2); last = r.IsDBNull(2) ? null : r.GetDateTime(2); }
        }
        CustomerInsightDto? insight = null;
        await using (var cmd = db.CreateCommand("""
            SELECT as_of, rfm_group, r_score, f_score, m_score, cluster_id, cluster_name, churn_probability, p_alive,
                   expected_purchases_365, predicted_clv_365, expected_next_order
            FROM customer_insight WHERE customer_id = @c
            """))
        {
            cmd.Parameters.AddWithValue("c", customerId);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (await r.ReadAsync(ct))
            {
                double? churn = r.IsDBNull(7) ? null : Math.Round(r.GetFloat(7), 4);
                insight = new CustomerInsightDto(r.GetDateTime(0), r.GetString(1), r.GetInt16(2), r.GetInt16(3), r.GetInt16(4),
                    r.IsDBNull(5) ? null : r.GetInt16(5), r.IsDBNull(6) ? null : r.GetString(6), churn, Risk(churn),
                    r.IsDBNull(8) ? null : Math.Round(r.GetFloat(8), 4), r.IsDBNull(9) ? null : Math.Round(r.GetFloat(9), 3),
                    r.IsDBNull(10) ? null : Math.Round(r.GetDecimal(10), 2), r.IsDBNull(11) ? null : r.GetFieldValue<DateOnly>(11));
            }
        }
        var recent = new List<RecentOrderDto>();
        await using (var cmd = db.CreateCommand(
            "SELECT order_id, placed_at, status, total, units FROM order_total WHERE customer_id = @c ORDER BY placed_at DESC, order_id DESC LIMIT 5"))
        {
            cmd.Parameters.AddWithValue("c", customerId);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                recent.Add(new RecentOrderDto(r.GetInt64(0), r.GetDateTime(1), r.GetString(2), Math.Round(r.GetDecimal(3), 2), r.GetInt32(4)));
        }
        return new Customer360Dto(customerId, orders, spent, last, insight, recent);
    }

    /// <summary>
    /// Analysed customers, optionally of one RFM group, ordered for a task: value at risk (predicted 365-day CLV × churn
    /// probability: who to win back first), CLV, churn probability, or recency. Ties by customer id, so pages are stable.
    /// </summary>
    public async Task<IReadOnlyList<CustomerListRowDto>> CustomersAsync(string? rfmGroup, CustomerListOrder order, int limit, int offset,
        CancellationToken ct)
    {
        var orderBy = order switch
        {
            CustomerListOrder.Clv => "i.predicted_clv_365 DESC NULLS LAST",
            CustomerListOrder.Churn => "i.churn_probability DESC NULLS LAST",
            CustomerListOrder.Recency => "i.recency_days",
            _ => "i.predicted_clv_365 * i.churn_probability DESC NULLS LAST",
        };
        await using var cmd = db.CreateCommand($"""
            SELECT i.customer_id, p.full_name, i.rfm_group, i.cluster_name, i.frequency, i.monetary, i.recency_days,
                   i.churn_probability, i.predicted_clv_365, i.predicted_clv_365 * i.churn_probability::numeric, i.expected_next_order
            FROM customer_insight i LEFT JOIN customer_pii p ON p.customer_id = i.customer_id
            WHERE (@g::text IS NULL OR i.rfm_group = @g)
            ORDER BY {orderBy}, i.customer_id
            LIMIT @n OFFSET @o
            """);
        cmd.Parameters.AddWithValue("g", (object?)rfmGroup ?? DBNull.Value);
        cmd.Parameters.AddWithValue("n", limit);
        cmd.Parameters.AddWithValue("o", offset);
        var rows = new List<CustomerListRowDto>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            rows.Add(new CustomerListRowDto(r.GetInt64(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                r.GetInt32(4), Math.Round(r.GetDecimal(5), 2), Math.Round(r.GetDouble(6), 1), r.IsDBNull(7) ? null : Math.Round(r.GetFloat(7), 3),
                r.IsDBNull(8) ? null : Math.Round(r.GetDecimal(8), 2), r.IsDBNull(9) ? null : Math.Round(r.GetDecimal(9), 2),
                r.IsDBNull(10) ? null : r.GetFieldValue<DateOnly>(10)));
        return rows;
    }

    /// <summary>
    /// Review sentiment, size &amp; fit and aspect counts per category and calendar month (UTC), for the last
    /// <paramref name="months"/> months that have reviews; a category filter includes its subcategories.
    /// </summary>
    public async Task<IReadOnlyList<CategoryAspectMonthDto>> CategoryAspectsAsync(int? categoryId, int months, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            WITH RECURSIVE cats AS (
                SELECT category_id FROM category WHERE @cat::int IS NULL OR category_id = @cat
                UNION SELECT c.category_id FROM category c JOIN cats ON c.parent_id = cats.category_id),
            rows AS (
                SELECT p.category_id, date_trunc('month', rv.created_at AT TIME ZONE 'UTC')::date AS month, ri.*
                FROM review_insight ri JOIN review rv ON rv.review_id = ri.review_id JOIN product p ON p.product_id = rv.product_id
                WHERE p.category_id IN (SELECT category_id FROM cats)),
            recent AS (SELECT DISTINCT month FROM rows ORDER BY month DESC LIMIT @m)
            SELECT r.category_id, c.name, r.month, count(*)::int, avg(r.sentiment_score)::float8,
                   count(*) FILTER (WHERE size_fit = 'small')::int, count(*) FILTER (WHERE size_fit = 'large')::int,
                   count(*) FILTER (WHERE size_fit = 'true')::int,
                   count(*) FILTER (WHERE quality = 1)::int, count(*) FILTER (WHERE quality = -1)::int,
                   count(*) FILTER (WHERE fabric = 1)::int, count(*) FILTER (WHERE fabric = -1)::int,
                   count(*) FILTER (WHERE colour = 1)::int, count(*) FILTER (WHERE colour = -1)::int,
                   count(*) FILTER (WHERE comfort = 1)::int, count(*) FILTER (WHERE comfort = -1)::int,
                   count(*) FILTER (WHERE price = 1)::int, count(*) FILTER (WHERE price = -1)::int
            FROM rows r JOIN category c ON c.category_id = r.category_id
            WHERE r.month IN (SELECT month FROM recent)
            GROUP BY r.category_id, c.name, r.month
            ORDER BY r.month, c.name
            """);
        cmd.Parameters.AddWithValue("cat", (object?)categoryId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("m", months);
        string[] aspects = ["quality", "fabric", "colour", "comfort", "price"];
        var list = new List<CategoryAspectMonthDto>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var counts = new List<AspectCountDto>(aspects.Length);
            for (var a = 0; a < aspects.Length; a++)
            {
                int pos = r.GetInt32(8 + 2 * a), neg = r.GetInt32(9 + 2 * a);
                counts.Add(new AspectCountDto(aspects[a], pos, neg, pos + neg));
            }
            list.Add(new CategoryAspectMonthDto(r.GetInt32(0), r.GetString(1), r.GetFieldValue<DateOnly>(2), r.GetInt32(3),
                Math.Round(r.GetDouble(4), 3), r.GetInt32(5), r.GetInt32(6), r.GetInt32(7), counts));
        }
        return list;
    }

    private static string? Risk(double? p) => p switch
    {
        null => null,
        >= 0.7 => "high",
        >= 0.4 => "medium",
        _ => "low",
    };

    /// <summary>Null when the product does not exist. Ratings are live; aspects come from the last analysis.</summary>
    public async Task<ProductReviewInsightsDto?> ProductReviewsAsync(long productId, CancellationToken ct)
    {
        await using (var exists = db.CreateCommand("SELECT 1 FROM product WHERE product_id = @p"))
        {
            exists.Parameters.AddWithValue("p", productId);
            if (await exists.ExecuteScalarAsync(ct) is null) return null;
        }
        var dist = new int[5];
        await using (var cmd = db.CreateCommand("SELECT rating, count(*)::int FROM review WHERE product_id = @p GROUP BY rating"))
        {
            cmd.Parameters.AddWithValue("p", productId);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) dist[r.GetInt16(0) - 1] = r.GetInt32(1);
        }
        var n = dist.Sum();
        decimal? avg = n == 0 ? null : Math.Round((decimal)Enumerable.Range(0, 5).Sum(i => (i + 1) * dist[i]) / n, 2);
        var ratings = new RatingSummaryDto(n, avg, dist);
        await using (var cmd = db.CreateCommand("""
            SELECT analysed_at, reviews, positive_reviews, negative_reviews, runs_small, runs_large, true_to_size,
                   share_small, share_large, share_true, consensus, advice, aspects::text
            FROM product_review_insight WHERE product_id = @p
            """))
        {
            cmd.Parameters.AddWithValue("p", productId);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct)) return new ProductReviewInsightsDto(productId, ratings, null, null, null, null, null, []);
            double? Share(int i) => r.IsDBNull(i) ? null : Math.Round(r.GetFloat(i), 4);
            var size = new SizeFitDto(r.GetInt32(4), r.GetInt32(5), r.GetInt32(6), Share(7), Share(8), Share(9), r.GetString(10),
                r.IsDBNull(11) ? null : r.GetString(11));
            var aspects = new List<AspectCountDto>();
            using (var doc = JsonDocument.Parse(r.GetString(12)))
                foreach (var a in doc.RootElement.EnumerateArray())
                    aspects.Add(new AspectCountDto(a.GetProperty("aspect").GetString()!, a.GetProperty("positive").GetInt32(),
                        a.GetProperty("negative").GetInt32(), a.GetProperty("mentions").GetInt32()));
            return new ProductReviewInsightsDto(productId, ratings, r.GetDateTime(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), size, aspects);
        }
    }
}
