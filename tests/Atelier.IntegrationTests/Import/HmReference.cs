using Npgsql;

namespace Atelier.IntegrationTests.Import;

/// <summary>
/// The naive reference for H&amp;M transaction imports: every (customer, day, channel, article) group of the file is one
/// order line whose quantity is its row count, keyed as <c>hm:customer:day:channel|article_code</c>.
/// </summary>
internal static class HmReference
{
    public static Dictionary<string, int> Expected(string path) =>
        File.ReadLines(path).Skip(1).Select(l => l.Split(','))
            .GroupBy(f => $"hm:{f[1]}:{f[0]}:{f[4]}|{f[2]}").ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Units per order key and article as stored for one import file.</summary>
    public static async Task<Dictionary<string, int>> ActualAsync(NpgsqlDataSource db, long importFileId, CancellationToken ct)
    {
        var actual = new Dictionary<string, int>();
        await using var cmd = db.CreateCommand("""
            SELECT o.external_ref || '|' || a.article_code, sum(l.quantity)::int FROM orders o
            JOIN order_line l USING (order_id) JOIN article a USING (article_id) WHERE o.import_file_id = @f GROUP BY 1
            """);
        cmd.Parameters.AddWithValue("f", importFileId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) actual[r.GetString(0)] = r.GetInt32(1);
        return actual;
    }
}
