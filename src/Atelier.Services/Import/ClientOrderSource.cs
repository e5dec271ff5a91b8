using Npgsql;

namespace Atelier.Services.Import;

/// <summary>
/// An order file whose valid rows the client groups into orders and lines itself (<see cref="OrderBatch"/>), so that
/// the server only inserts (<see cref="OrderMerge.MergeBatchAsync"/>). The engine reads and groups the next batch while
/// the server merges the current one.
/// </summary>
public abstract class ClientOrderSource : ImportSource
{
    private const string NoStage = "client-grouped order sources write an OrderBatch, not a staging table";

    /// <summary>Validates the record; when valid adds it to the batch and returns null, else returns the reason.</summary>
    public abstract string? Add(IRecordReader rec, OrderBatch batch);

    /// <summary>When set, the batch's order times are wall-clock times in this IANA zone (written with UTC kind) and the
    /// server converts them with <c>AT TIME ZONE</c>, exactly as for a <c>timestamp</c> column; null = already UTC.</summary>
    public virtual string? LocalTimeZone => null;

    /// <summary>Runs in the batch's short first transaction, in file order, before its orders (e.g. creates the
    /// articles the batch introduces and resolves their placeholder ids). Default: nothing.</summary>
    public virtual Task BeforeBatchAsync(NpgsqlConnection conn, OrderBatch batch, CancellationToken ct) => Task.CompletedTask;

    /// <summary><paramref name="prefix"/> + <paramref name="value"/> in a reused buffer, so that building an order,
    /// customer or article key allocates nothing (a string is made only for a key seen first).</summary>
    protected static ReadOnlySpan<char> Concat(ref char[] buffer, string prefix, ReadOnlySpan<char> value)
    {
        var n = prefix.Length + value.Length;
        if (buffer.Length < n) buffer = new char[n * 2];
        prefix.CopyTo(buffer);
        value.CopyTo(buffer.AsSpan(prefix.Length));
        return buffer.AsSpan(0, n);
    }

    public sealed override string StagingColumns => throw new NotSupportedException(NoStage);

    public sealed override string? Stage(IRecordReader rec, NpgsqlBinaryImporter w) => throw new NotSupportedException(NoStage);

    public sealed override Task<long> MergeAsync(NpgsqlConnection conn, long fileId, CancellationToken ct) =>
        throw new NotSupportedException(NoStage);
}
