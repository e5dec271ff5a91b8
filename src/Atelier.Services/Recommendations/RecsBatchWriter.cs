using Npgsql;
using NpgsqlTypes;

namespace Atelier.Services.Recommendations;

/// <summary>
/// The nightly batch: top-N for every customer with history from the production engine, written with binary COPY into a
/// staging table and swapped into <c>recommendation_batch</c> in one transaction (readers never see a half-written batch).
/// </summary>
public sealed class RecsBatchWriter(NpgsqlDataSource db, RecommendationService service)
{
    public async Task<int> WriteAsync(RecsEngine engine, int version, int n, CancellationToken ct)
    {
        var snapshot = engine.Snapshot;
        var unavailable = new Atelier.Ml.Recommenders.ItemSet(engine.ItemCount);
        await using (var cmd = db.CreateCommand("SELECT article_id FROM article WHERE stock <= 0 OR NOT is_active"))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
                if (snapshot.ItemIndex(r.GetInt64(0)) is var i and >= 0) unavailable.Add(i);

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var create = new NpgsqlCommand(
            "CREATE TEMP TABLE rec_stage (LIKE recommendation_batch INCLUDING DEFAULTS) ON COMMIT DROP", conn, tx))
            await create.ExecuteNonQueryAsync(ct);
        var rows = 0;
        await using (var w = await conn.BeginBinaryImportAsync(
            "COPY rec_stage (customer_id, rank, article_id, score, reason, model_name, model_version) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var customer in snapshot.CustomerIds)
            {
                var items = engine.ForCustomer(customer, new RecsRequest(N: n), unavailable);
                for (var k = 0; k < items.Count; k++)
                {
                    await w.StartRowAsync(ct);
                    await w.WriteAsync(customer, NpgsqlDbType.Bigint, ct);
                    await w.WriteAsync((short)(k + 1), NpgsqlDbType.Smallint, ct);
                    await w.WriteAsync(items[k].ArticleId, NpgsqlDbType.Bigint, ct);
                    await w.WriteAsync(items[k].Score, NpgsqlDbType.Real, ct);
                    await w.WriteAsync(items[k].Reason, NpgsqlDbType.Text, ct);
                    await w.WriteAsync(RecommendationService.ModelName, NpgsqlDbType.Text, ct);
                    await w.WriteAsync(version, NpgsqlDbType.Integer, ct);
                    rows++;
                }
            }
            await w.CompleteAsync(ct);
        }
        await using (var swap = new NpgsqlCommand("""
            DELETE FROM recommendation_batch;
            INSERT INTO recommendation_batch SELECT * FROM rec_stage;
            """, conn, tx))
            await swap.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return rows;
    }

    /// <summary>Writes the batch from the engine the service currently serves.</summary>
    public Task<int> WriteCurrentAsync(RecsEngine engine, int n, CancellationToken ct) =>
        WriteAsync(engine, service.Version ?? 0, n, ct);
}
