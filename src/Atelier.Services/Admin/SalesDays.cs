using Npgsql;

namespace Atelier.Services.Admin;

/// <summary>The store's own calendar: reports and trends end on the last day with a sale, not on "today".</summary>
public static class SalesDays
{
    public const string LatestSql = "SELECT (max(placed_at) AT TIME ZONE 'UTC')::date FROM orders WHERE status <> 'cancelled'";

    /// <summary>The last day (UTC) with a non-cancelled order, or null for a store without sales.</summary>
    public static async Task<DateOnly?> LatestAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(LatestSql, conn);
        return await cmd.ExecuteScalarAsync(ct) switch
        {
            DateOnly d => d,
            DateTime t => DateOnly.FromDateTime(t),
            _ => null,
        };
    }
}
