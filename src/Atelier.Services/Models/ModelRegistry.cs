using System.Diagnostics;
using Atelier.Services.Hosting;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Atelier.Services.Models;

public sealed record ModelVersionInfo(string ModelName, int Version, string Stage, IReadOnlyDictionary<string, double> Metrics,
    DateTimeOffset CreatedAt, DateTimeOffset? PromotedAt, string? StageReason, long? RunId = null, long ArtifactBytes = 0);

/// <summary>One training run: what it was given, what it measured, how it ended.</summary>
public sealed record ModelRunInfo(long RunId, string ModelName, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string Status,
    IReadOnlyDictionary<string, double> Metrics, string? DataNote, string? Error, int? Version);

/// <summary>
/// A promotion gate: the candidate's metric must not fall below production's by more than the tolerance, and, when
/// <paramref name="Floor"/> names another metric of the same version (a naive baseline measured on the same hold-out),
/// the candidate must not do worse than that baseline, with or without a production version to compare with.
/// </summary>
public sealed record PromotionGate(string Metric, bool HigherIsBetter = true, double Tolerance = 0.0, string? Floor = null)
{
    /// <summary>Whether the candidate's own metrics clear the floor (true when there is no floor or no baseline figure).</summary>
    public bool ClearsFloor(IReadOnlyDictionary<string, double> candidate, out string reason)
    {
        reason = "";
        if (Floor is null || !candidate.TryGetValue(Floor, out var floor) || !candidate.TryGetValue(Metric, out var value)) return true;
        var ok = HigherIsBetter ? value >= floor : value <= floor;
        if (!ok) reason = $"{Metric} {value:0.#####} is {(HigherIsBetter ? "below" : "above")} its own baseline {Floor} {floor:0.#####}";
        return ok;
    }

    public bool Passes(double candidate, double? production, out string reason)
    {
        if (double.IsNaN(candidate) || double.IsInfinity(candidate))
        {
            reason = $"{Metric} is {candidate}";
            return false;
        }
        if (production is not { } p)
        {
            reason = "no production version yet";
            return true;
        }
        var bound = HigherIsBetter ? p * (1 - Tolerance) : p * (1 + Tolerance);
        var ok = HigherIsBetter ? candidate >= bound : candidate <= bound;
        reason = $"{Metric} {candidate:0.#####} vs production {p:0.#####} (bound {bound:0.#####})";
        return ok;
    }
}

public sealed record PromotionResult(bool Promoted, string Reason);

/// <summary>
/// Run tracking and versioned model artifacts in PostgreSQL. Promotion is transactional: the old production version is
/// archived and the new one promoted atomically; servers poll <see cref="ProductionVersionAsync"/> and swap.
/// </summary>
public sealed class ModelRegistry(NpgsqlDataSource db)
{
    public async Task<long> StartRunAsync(string modelName, object parameters, string? dataNote, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("INSERT INTO model_run (model_name, params, data_note) VALUES (@n, @p, @d) RETURNING run_id");
        cmd.Parameters.AddWithValue("n", modelName);
        cmd.Parameters.AddWithValue("p", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(parameters));
        cmd.Parameters.AddWithValue("d", (object?)dataNote ?? DBNull.Value);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task FinishRunAsync(long runId, IReadOnlyDictionary<string, double> metrics, string? error, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            UPDATE model_run SET finished_at = now(), status = @s, metrics = @m, error = @e WHERE run_id = @r
            RETURNING model_name, extract(epoch FROM finished_at - started_at)::float8
            """);
        cmd.Parameters.AddWithValue("s", error is null ? "succeeded" : "failed");
        cmd.Parameters.AddWithValue("m", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(metrics));
        cmd.Parameters.AddWithValue("e", (object?)error ?? DBNull.Value);
        cmd.Parameters.AddWithValue("r", runId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return;
        var tags = new TagList { { "model", r.GetString(0) }, { "status", error is null ? "succeeded" : "failed" } };
        AtelierMeter.Runs.Add(1, tags);
        AtelierMeter.RunDuration.Record(r.GetDouble(1), tags);
    }

    /// <summary>Size of the pieces an artifact is stored in (rows of <c>model_artifact_chunk</c>); a bytea value holds at most 1 GB.</summary>
    public int ChunkBytes { get; init; } = 32 << 20;

    /// <summary>Stores an artifact as the next version (a candidate).</summary>
    public Task<int> RegisterAsync(string modelName, byte[] artifact, IReadOnlyDictionary<string, double> metrics, long? runId, CancellationToken ct) =>
        RegisterAsync(modelName, new MemoryStream(artifact, writable: false), metrics, runId, ct);

    /// <summary>
    /// Stores the artifact read from <paramref name="artifact"/> (to its end) as the next version, in chunks of
    /// <see cref="ChunkBytes"/>: one transaction, so a failed upload leaves no version behind.
    /// </summary>
    public async Task<int> RegisterAsync(string modelName, Stream artifact, IReadOnlyDictionary<string, double> metrics, long? runId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext(@n))", conn, tx))
        {
            lockCmd.Parameters.AddWithValue("n", "model:" + modelName);
            await lockCmd.ExecuteNonQueryAsync(ct);
        }
        int version;
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO model_version (model_name, version, run_id, artifact_bytes, artifact_sha256, metrics)
            SELECT @n, coalesce(max(version), 0) + 1, @r, 0, '', @m FROM model_version WHERE model_name = @n
            RETURNING version
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("n", modelName);
            cmd.Parameters.AddWithValue("r", (object?)runId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("m", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(metrics));
            version = (int)(await cmd.ExecuteScalarAsync(ct))!;
        }
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[ChunkBytes];
        long total = 0;
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO model_artifact_chunk (model_name, version, seq, bytes) VALUES (@n, @v, @s, @b)", conn, tx))
        {
            insert.Parameters.AddWithValue("n", modelName);
            insert.Parameters.AddWithValue("v", version);
            var seq = insert.Parameters.Add("s", NpgsqlDbType.Integer);
            var bytes = insert.Parameters.Add("b", NpgsqlDbType.Bytea);
            for (int s = 0; ; s++)
            {
                int n = await artifact.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
                if (n == 0) break;
                sha.AppendData(buffer, 0, n);
                total += n;
                seq.Value = s;
                bytes.Value = new ArraySegment<byte>(buffer, 0, n);
                await insert.ExecuteNonQueryAsync(ct);
                if (n < buffer.Length) break;
            }
        }
        await using (var cmd = new NpgsqlCommand(
            "UPDATE model_version SET artifact_bytes = @l, artifact_sha256 = @h WHERE model_name = @n AND version = @v", conn, tx))
        {
            cmd.Parameters.AddWithValue("n", modelName);
            cmd.Parameters.AddWithValue("v", version);
            cmd.Parameters.AddWithValue("l", total);
            cmd.Parameters.AddWithValue("h", Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant());
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return version;
    }

    /// <summary>Promotes a candidate when it passes the gate against the current production version; otherwise rejects it.</summary>
    /// <param name="actor">Who asked (kept in the stage reason, e.g. the admin who rolled back); null for the trainer.</param>
    public async Task<PromotionResult> PromoteAsync(string modelName, int version, PromotionGate gate, bool force, CancellationToken ct,
        string? actor = null)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        static Dictionary<string, double> Metrics(NpgsqlDataReader r) =>
            r.IsDBNull(0) ? [] : JsonSerializer.Deserialize<Dictionary<string, double>>(r.GetString(0))!;
        double? Metric(NpgsqlDataReader r) => Metrics(r).TryGetValue(gate.Metric, out var v) ? v : null;

        double? candidate, production;
        Dictionary<string, double> candidateMetrics;
        await using (var cmd = new NpgsqlCommand(
            "SELECT metrics::text, stage FROM model_version WHERE model_name = @n AND version = @v FOR UPDATE", conn, tx))
        {
            cmd.Parameters.AddWithValue("n", modelName);
            cmd.Parameters.AddWithValue("v", version);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct)) throw new KeyNotFoundException($"model {modelName} v{version} does not exist");
            candidateMetrics = Metrics(r);
            candidate = candidateMetrics.TryGetValue(gate.Metric, out var cv) ? cv : null;
            if (r.GetString(1) == "production") return new PromotionResult(true, "already in production");
        }
        await using (var cmd = new NpgsqlCommand(
            "SELECT metrics::text FROM model_version WHERE model_name = @n AND stage = 'production' FOR UPDATE", conn, tx))
        {
            cmd.Parameters.AddWithValue("n", modelName);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            production = await r.ReadAsync(ct) ? Metric(r) : null;
        }
        string reason;
        bool ok;
        if (force)
        {
            ok = true;
            reason = actor is null ? "forced" : $"forced by {actor}";
        }
        else if (!gate.ClearsFloor(candidateMetrics, out reason))
        {
            ok = false;
        }
        else if (candidate is { } c)
        {
            ok = gate.Passes(c, production, out reason);
        }
        else
        {
            ok = false;
            reason = $"candidate has no metric '{gate.Metric}'";
        }

        if (!force && actor is not null) reason += $" (asked by {actor})";
        if (ok)
        {
            await ExecAsync(conn, tx, "UPDATE model_version SET stage = 'archived', stage_reason = 'replaced by v' || @v WHERE model_name = @n AND stage = 'production'", modelName, version, ct);
            await ExecAsync(conn, tx, "UPDATE model_version SET stage = 'production', promoted_at = now(), stage_reason = @why WHERE model_name = @n AND version = @v", modelName, version, ct, reason);
        }
        else
        {
            await ExecAsync(conn, tx, "UPDATE model_version SET stage = 'rejected', stage_reason = @why WHERE model_name = @n AND version = @v", modelName, version, ct, reason);
        }
        await tx.CommitAsync(ct);
        return new PromotionResult(ok, reason);
    }

    public async Task<int?> ProductionVersionAsync(string modelName, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT version FROM model_version WHERE model_name = @n AND stage = 'production'");
        cmd.Parameters.AddWithValue("n", modelName);
        return await cmd.ExecuteScalarAsync(ct) as int?;
    }

    /// <summary>The whole artifact in memory (null when the version does not exist); see <see cref="CopyArtifactAsync"/>.</summary>
    public async Task<byte[]?> ArtifactAsync(string modelName, int version, CancellationToken ct)
    {
        using var ms = new MemoryStream();
        return await CopyArtifactAsync(modelName, version, ms, ct) ? ms.ToArray() : null;
    }

    /// <summary>
    /// Writes the artifact's chunks in order to <paramref name="destination"/>, one chunk in memory at a time, and checks
    /// the length and SHA-256 stored with the version (<see cref="InvalidDataException"/> when they differ). False when the
    /// version does not exist.
    /// </summary>
    public async Task<bool> CopyArtifactAsync(string modelName, int version, Stream destination, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        // One snapshot for the version row and its chunks.
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        long expectedBytes;
        string expectedSha;
        await using (var cmd = new NpgsqlCommand(
            "SELECT artifact_bytes, artifact_sha256 FROM model_version WHERE model_name = @n AND version = @v", conn, tx))
        {
            cmd.Parameters.AddWithValue("n", modelName);
            cmd.Parameters.AddWithValue("v", version);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct)) return false;
            (expectedBytes, expectedSha) = (r.GetInt64(0), r.GetString(1));
        }
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long total = 0;
        await using (var cmd = new NpgsqlCommand(
            "SELECT bytes FROM model_artifact_chunk WHERE model_name = @n AND version = @v ORDER BY seq", conn, tx))
        {
            cmd.Parameters.AddWithValue("n", modelName);
            cmd.Parameters.AddWithValue("v", version);
            // Sequential access streams each chunk instead of buffering the whole row set.
            await using var r = await cmd.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
            var buffer = new byte[81920];
            while (await r.ReadAsync(ct))
            {
                await using var chunk = await r.GetStreamAsync(0, ct);
                int n;
                while ((n = await chunk.ReadAsync(buffer, ct)) > 0)
                {
                    sha.AppendData(buffer, 0, n);
                    total += n;
                    await destination.WriteAsync(buffer.AsMemory(0, n), ct);
                }
            }
        }
        var actualSha = Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
        if (total != expectedBytes || actualSha != expectedSha)
            throw new InvalidDataException($"artifact of {modelName} v{version} is corrupt: {total:N0} bytes with SHA-256 {actualSha[..12]}…, " +
                $"the version records {expectedBytes:N0} bytes with {(expectedSha.Length >= 12 ? expectedSha[..12] : expectedSha)}…");
        return true;
    }

    public async Task<IReadOnlyList<ModelVersionInfo>> ListAsync(string? modelName, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT model_name, version, stage, metrics::text, created_at, promoted_at, stage_reason, run_id, artifact_bytes
            FROM model_version
            WHERE @n::text IS NULL OR model_name = @n ORDER BY model_name, version DESC
            """);
        cmd.Parameters.AddWithValue("n", NpgsqlDbType.Text, (object?)modelName ?? DBNull.Value);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<ModelVersionInfo>();
        while (await r.ReadAsync(ct))
            list.Add(new ModelVersionInfo(r.GetString(0), r.GetInt32(1), r.GetString(2),
                JsonSerializer.Deserialize<Dictionary<string, double>>(r.GetString(3))!, r.GetFieldValue<DateTimeOffset>(4),
                r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5), r.IsDBNull(6) ? null : r.GetString(6),
                r.IsDBNull(7) ? null : r.GetInt64(7), r.GetInt64(8)));
        return list;
    }

    /// <summary>The latest runs of a model (or of all models), newest first, with the version each one registered.</summary>
    public async Task<IReadOnlyList<ModelRunInfo>> RunsAsync(string? modelName, int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT r.run_id, r.model_name, r.started_at, r.finished_at, r.status, r.metrics::text, r.data_note, r.error,
                   (SELECT max(v.version) FROM model_version v WHERE v.run_id = r.run_id)
            FROM model_run r WHERE @n::text IS NULL OR r.model_name = @n
            ORDER BY r.started_at DESC, r.run_id DESC LIMIT @l
            """);
        cmd.Parameters.AddWithValue("n", NpgsqlDbType.Text, (object?)modelName ?? DBNull.Value);
        cmd.Parameters.AddWithValue("l", limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<ModelRunInfo>();
        while (await r.ReadAsync(ct))
            list.Add(new ModelRunInfo(r.GetInt64(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2),
                r.IsDBNull(3) ? null : r.GetFieldValue<DateTimeOffset>(3), r.GetString(4),
                JsonSerializer.Deserialize<Dictionary<string, double>>(r.GetString(5))!, r.IsDBNull(6) ? null : r.GetString(6),
                r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetInt32(8)));
        return list;
    }

    private static async Task ExecAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, string name, int version, CancellationToken ct, string? why = null)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        cmd.Parameters.AddWithValue("n", name);
        cmd.Parameters.AddWithValue("v", version);
        if (why is not null) cmd.Parameters.AddWithValue("why", why);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
