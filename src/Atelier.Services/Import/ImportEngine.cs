using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Npgsql;

namespace Atelier.Services.Import;

/// <summary>
/// Runs one file through an <see cref="ImportSource"/>: streaming read, per-row validation, binary COPY into a temp
/// staging table, set-based merge, quarantine, and a checkpoint — all of one batch in one transaction. A file is
/// identified by its SHA-256 (plus source/kind): a finished file is skipped, an interrupted one resumes after the
/// last committed line. Memory stays flat: only one batch of rejected rows is ever held.
/// </summary>
public sealed class ImportEngine(NpgsqlDataSource dataSource)
{
    /// <summary>Overrides the source's rows per batch (tests use small batches to exercise checkpoints).</summary>
    public int? BatchSize { get; init; }

    public async Task<ImportFileResult> RunAsync(string source, string path, ImportSource src, string? keyExtra,
        IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var hash = await HashAsync(path, keyExtra, ct);
        var name = Path.GetFileName(path);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using (var reg = new NpgsqlCommand("""
            INSERT INTO import_file (source, kind, file_name, file_hash) VALUES (@s, @k, @f, @h) ON CONFLICT DO NOTHING;
            SELECT import_file_id, status, committed_line FROM import_file WHERE source = @s AND kind = @k AND file_hash = @h;
            """, conn))
        {
            reg.CommandTimeout = 0;
            reg.Parameters.AddWithValue("s", source);
            reg.Parameters.AddWithValue("k", src.Kind);
            reg.Parameters.AddWithValue("f", name);
            reg.Parameters.AddWithValue("h", hash);
            await using var r = await reg.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            _fileId = r.GetInt64(0);
            _done = r.GetString(1) == "done";
            _committed = r.GetInt64(2);
        }
        if (_done)
        {
            var prev = await CountersAsync(conn, ct);
            return new ImportFileResult(path, src.Kind, prev.Read, 0, 0, prev.Read, false, true, _fileId);
        }
        var resumed = _committed > 0;
        await src.PrepareAsync(conn, ct);
        var orderSource = src as ClientOrderSource;
        await SessionSetupAsync(conn, orderSource is null
            ? $"DROP TABLE IF EXISTS stage; CREATE TEMP TABLE stage ({src.StagingColumns}) ON COMMIT DELETE ROWS"
            : OrderMerge.CreateBatchTables, ct);

        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var rec = src.Open(new StreamReader(stream, new UTF8Encoding(false, false), true, 1 << 16));
        if (src.HasHeader) rec.Read();
        if (orderSource is null) await BatchesAsync(conn, rec, src, name, () => file.Position, file.Length, progress, ct);
        else await PipelinedOrderBatchesAsync(conn, rec, orderSource, name, () => file.Position, file.Length, progress, ct);

        await using (var fin = new NpgsqlCommand("UPDATE import_file SET status = 'done', finished_at = now() WHERE import_file_id = @id", conn))
        {
            fin.Parameters.AddWithValue("id", _fileId);
            await fin.ExecuteNonQueryAsync(ct);
        }
        var c = await CountersAsync(conn, ct);
        return new ImportFileResult(path, src.Kind, c.Read, c.Loaded, c.Quarantined, c.Duplicates, resumed, false, _fileId);
    }

    private long _fileId;
    private bool _done;
    private long _committed;

    private async Task BatchesAsync(NpgsqlConnection conn, IRecordReader rec, ImportSource src, string name,
        Func<long> position, long length, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var pending = false;
        var eof = false;
        var key = new char[64];
        var keyLen = -1;
        long totalRows = 0;
        var rejects = new List<(int Line, string Raw, string Reason)>();
        while (!eof)
        {
            ct.ThrowIfCancellationRequested();
            long read = 0, staged = 0;
            var lastLine = _committed;
            rejects.Clear();
            await using var tx = await conn.BeginTransactionAsync(ct);
            await AsyncCommitAsync(conn, ct);
            await using (var w = await conn.BeginBinaryImportAsync("COPY stage FROM STDIN (FORMAT BINARY)", ct))
            {
                while (true)
                {
                    if (!pending && !rec.Read()) { eof = true; break; }
                    pending = false;
                    if (rec.LineNumber <= _committed) continue;
                    var k = src.GroupKey(rec);
                    if (read >= (BatchSize ?? src.BatchSize) && (k.IsEmpty || keyLen < 0 || !k.SequenceEqual(key.AsSpan(0, keyLen))))
                    {
                        pending = true;
                        break;
                    }
                    if (k.Length > key.Length) key = new char[k.Length * 2];
                    k.CopyTo(key);
                    keyLen = k.Length;
                    read++;
                    lastLine = rec.LineNumber;
                    var reason = Check(rec, src) ?? src.Stage(rec, w);
                    if (reason is null) staged++;
                    else rejects.Add((rec.LineNumber, rec.RawRecord, reason));
                    if ((read & 1023) == 0) ct.ThrowIfCancellationRequested();
                    if ((++totalRows & 1023) == 0) progress?.Report(new ImportProgress(name, position(), length, totalRows));
                }
                await w.CompleteAsync(ct);
            }
            if (read == 0) break;
            await QuarantineAsync(conn, name, rejects, ct);
            var loaded = staged > 0 ? await src.MergeAsync(conn, _fileId, ct) : 0;
            await CheckpointAsync(conn, lastLine, read, loaded, rejects.Count, staged - loaded, ct);
            await tx.CommitAsync(ct);
            _committed = lastLine;
            progress?.Report(new ImportProgress(name, position(), length, totalRows));
        }
    }

    /// <summary>
    /// Client-grouped order files: a reader task validates and groups the next batch while two connections insert the
    /// two batches before it. The batches overlap only where that is safe (<see cref="BatchOrder"/>: customers and
    /// orders in file order, lines in parallel) and commit strictly in file order, each with its checkpoint, so
    /// resumption is exactly as in <see cref="BatchesAsync"/>. On cancellation the reader stops at once; batches it had
    /// finished reading before are still committed, the partly read one is not.
    /// </summary>
    private async Task PipelinedOrderBatchesAsync(NpgsqlConnection conn, IRecordReader rec, ClientOrderSource src, string name,
        Func<long> position, long length, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        await using var second = await dataSource.OpenConnectionAsync(ct);
        await SessionSetupAsync(second, OrderMerge.CreateBatchTables, ct);
        NpgsqlConnection[] connections = [conn, second];
        var queue = Channel.CreateBounded<OrderBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var skipThrough = _committed;
        var batchSize = BatchSize ?? src.BatchSize;
        var reader = Task.Run(async () =>
        {
            try { await ReadOrderBatchesAsync(rec, src, skipThrough, batchSize, queue.Writer, name, position, length, progress, stop.Token); }
            finally { queue.Writer.TryComplete(); }
        }, CancellationToken.None);
        var inFlight = new Task?[2];
        var slot = 0;
        BatchOrder? previous = null;
        try
        {
            await foreach (var batch in queue.Reader.ReadAllAsync(CancellationToken.None))
            {
                // The connection of the batch before the previous one must be free again (its batch has committed).
                if (inFlight[slot] is { } busy) await busy;
                var order = new BatchOrder(previous?.CustomersCommitted.Task ?? Task.CompletedTask,
                    previous?.OrdersInserted.Task ?? Task.CompletedTask, previous?.Committed.Task ?? Task.CompletedTask);
                inFlight[slot] = RunOrderBatchAsync(connections[slot], src, batch, name, order);
                previous = order;
                slot ^= 1;
            }
            foreach (var t in inFlight) if (t is not null) await t;
        }
        catch
        {
            await stop.CancelAsync();
            // Let the other in-flight batch finish (it rolls back when the failed batch was before it).
            foreach (var t in inFlight) if (t is not null) try { await t; } catch { }
            try { await reader; } catch (OperationCanceledException) { } // the merge's error is the one to report
            throw;
        }
        await reader; // rethrows a read error or the cancellation
    }

    /// <summary>One batch of <see cref="PipelinedOrderBatchesAsync"/> on its connection. A batch that was read
    /// completely is committed even if cancellation was requested meanwhile (hence no token below).</summary>
    private async Task RunOrderBatchAsync(NpgsqlConnection conn, ClientOrderSource src, OrderBatch batch, string name, BatchOrder order)
    {
        var none = CancellationToken.None;
        try
        {
            await order.PreviousCustomersCommitted;
            await using (var ctx = await conn.BeginTransactionAsync(none))
            {
                await AsyncCommitAsync(conn, none);
                await src.BeforeBatchAsync(conn, batch, none);
                await OrderMerge.InsertCustomersAsync(conn, batch, none);
                await ctx.CommitAsync(none);
            }
            order.CustomersCommitted.TrySetResult();

            await using var tx = await conn.BeginTransactionAsync(none);
            await AsyncCommitAsync(conn, none);
            await QuarantineAsync(conn, name, batch.Rejects, none);
            var loaded = await OrderMerge.MergeBatchAsync(conn, _fileId, batch, none, order, src.LocalTimeZone);
            await order.PreviousCommitted;
            await CheckpointAsync(conn, batch.LastLine, batch.Read, loaded, batch.Rejects.Count, batch.Staged - loaded, none);
            await tx.CommitAsync(none);
            _committed = batch.LastLine;
            order.Committed.TrySetResult();
        }
        catch (Exception e)
        {
            order.Fail(e);
            throw;
        }
    }

    private static async Task SessionSetupAsync(NpgsqlConnection conn, string tables, CancellationToken ct)
    {
        // Session settings (reset when the connection returns to the pool): the batch's temp tables have no statistics,
        // so the planner's row guesses are wild and would trigger JIT compilation of every merge statement.
        await using var create = new NpgsqlCommand("SET jit = off; SET work_mem = '64MB';" + tables, conn);
        create.CommandTimeout = 0;
        await create.ExecuteNonQueryAsync(ct);
    }

    private static async Task ReadOrderBatchesAsync(IRecordReader rec, ClientOrderSource src, long skipThrough, int batchSize,
        ChannelWriter<OrderBatch> queue, string name, Func<long> position, long length, IProgress<ImportProgress>? progress,
        CancellationToken ct)
    {
        var pending = false;
        var key = new char[64];
        var keyLen = -1;
        long totalRows = 0;
        var batch = new OrderBatch();
        while (true)
        {
            if (!pending && !rec.Read()) break;
            pending = false;
            if (rec.LineNumber <= skipThrough) continue;
            var k = src.GroupKey(rec);
            if (batch.Read >= batchSize && (k.IsEmpty || keyLen < 0 || !k.SequenceEqual(key.AsSpan(0, keyLen))))
            {
                progress?.Report(new ImportProgress(name, position(), length, totalRows));
                batch.Complete();
                await queue.WriteAsync(batch, ct);
                batch = new OrderBatch();
                pending = true;
                continue;
            }
            if (k.Length > key.Length) key = new char[k.Length * 2];
            k.CopyTo(key);
            keyLen = k.Length;
            batch.Read++;
            batch.LastLine = rec.LineNumber;
            if ((Check(rec, src) ?? src.Add(rec, batch)) is { } reason) batch.Reject(rec.LineNumber, rec.RawRecord, reason);
            if ((batch.Read & 1023) == 0) ct.ThrowIfCancellationRequested();
            if ((++totalRows & 1023) == 0) progress?.Report(new ImportProgress(name, position(), length, totalRows));
        }
        if (batch.Read > 0)
        {
            batch.Complete();
            await queue.WriteAsync(batch, ct);
        }
        progress?.Report(new ImportProgress(name, position(), length, totalRows));
    }

    /// <summary>
    /// A batch's commit does not wait for its WAL flush. A server crash can then lose the last few committed batches,
    /// but each batch commits its checkpoint (import_file.committed_line and counters) in the same transaction, and WAL
    /// replays in commit order, so data and checkpoint are lost together and a re-run resumes exactly after the newest
    /// surviving batch (https://www.postgresql.org/docs/15/wal-async-commit.html: no inconsistency, only lost commits).
    /// </summary>
    private static async Task AsyncCommitAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SET LOCAL synchronous_commit = off", conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private async Task QuarantineAsync(NpgsqlConnection conn, string name, List<(int Line, string Raw, string Reason)> rejects, CancellationToken ct)
    {
        if (rejects.Count == 0) return;
        await using var q = await conn.BeginBinaryImportAsync(
            "COPY import_quarantine (import_file_id, file_name, line_no, raw_line, reason) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (line, raw, reason) in rejects)
            await q.WriteRowAsync(ct, _fileId, name, (long)line, raw.Replace("\0", "\\0", StringComparison.Ordinal), reason);
        await q.CompleteAsync(ct);
    }

    private async Task CheckpointAsync(NpgsqlConnection conn, long lastLine, long read, long loaded, long quarantined, long duplicates, CancellationToken ct)
    {
        await using var upd = new NpgsqlCommand("""
            UPDATE import_file SET committed_line = @l, rows_read = rows_read + @r, rows_loaded = rows_loaded + @lo,
                   rows_quarantined = rows_quarantined + @q, rows_duplicate = rows_duplicate + @d
            WHERE import_file_id = @id
            """, conn);
        upd.CommandTimeout = 0;
        upd.Parameters.AddWithValue("l", lastLine);
        upd.Parameters.AddWithValue("r", read);
        upd.Parameters.AddWithValue("lo", loaded);
        upd.Parameters.AddWithValue("q", quarantined);
        upd.Parameters.AddWithValue("d", duplicates);
        upd.Parameters.AddWithValue("id", _fileId);
        await upd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Checks every source shares: truncation, malformed JSON, field count, encoding.</summary>
    private static string? Check(IRecordReader rec, ImportSource src)
    {
        if (rec.Truncated) return "truncated record: the file ends inside the record";
        if (rec is JsonLinesRecords { Malformed: { } m }) return m;
        if (rec.FieldCount != src.ExpectedFields) return $"expected {src.ExpectedFields} fields, found {rec.FieldCount}";
        for (var i = 0; i < rec.FieldCount; i++)
            if (rec[i].Contains('\uFFFD')) return "invalid UTF-8 byte sequence (wrong encoding?)";
        return null;
    }

    private async Task<(long Read, long Loaded, long Quarantined, long Duplicates)> CountersAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT rows_read, rows_loaded, rows_quarantined, rows_duplicate FROM import_file WHERE import_file_id = @id", conn);
        cmd.CommandTimeout = 0;
        cmd.Parameters.AddWithValue("id", _fileId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3));
    }

    /// <summary>SHA-256 of the file's bytes (plus e.g. the mapping for the generic source).</summary>
    public static async Task<string> HashAsync(string path, string? extra, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20))
        {
            var buf = new byte[1 << 20];
            int n;
            while ((n = await fs.ReadAsync(buf, ct)) > 0) sha.AppendData(buf, 0, n);
        }
        if (extra is not null) sha.AppendData(Encoding.UTF8.GetBytes(extra));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
