using Atelier.IntegrationTests.Infrastructure;
using Atelier.Services.Models;

namespace Atelier.IntegrationTests.Models;

public sealed class ModelRegistryTests(PostgresFixture pg)
{
    [Fact]
    public async Task PromotionGateKeepsTheBetterModelInProduction()
    {
        var ct = TestContext.Current.CancellationToken;
        var registry = new ModelRegistry(pg.DataSource);
        var name = $"recs-{Guid.NewGuid():N}";
        var gate = new PromotionGate("map_at_12", HigherIsBetter: true, Tolerance: 0.02);

        var run = await registry.StartRunAsync(name, new { factors = 64 }, "fixture", ct);
        var v1 = await registry.RegisterAsync(name, [1, 2, 3], new Dictionary<string, double> { ["map_at_12"] = 0.020 }, run, ct);
        await registry.FinishRunAsync(run, new Dictionary<string, double> { ["map_at_12"] = 0.020 }, null, ct);
        Assert.True((await registry.PromoteAsync(name, v1, gate, force: false, ct)).Promoted);
        Assert.Equal(v1, await registry.ProductionVersionAsync(name, ct));

        // 0.0190 is 5% worse: beyond the 2% tolerance, so rejected and v1 stays.
        var v2 = await registry.RegisterAsync(name, [4], new Dictionary<string, double> { ["map_at_12"] = 0.0190 }, null, ct);
        var rejected = await registry.PromoteAsync(name, v2, gate, force: false, ct);
        Assert.False(rejected.Promoted);
        Assert.Contains("0.019", rejected.Reason);
        Assert.Equal(v1, await registry.ProductionVersionAsync(name, ct));

        // 0.0198 is within tolerance: promoted, v1 archived.
        var v3 = await registry.RegisterAsync(name, [5, 6], new Dictionary<string, double> { ["map_at_12"] = 0.0198 }, null, ct);
        Assert.True((await registry.PromoteAsync(name, v3, gate, force: false, ct)).Promoted);
        Assert.Equal(v3, await registry.ProductionVersionAsync(name, ct));
        Assert.Equal(new byte[] { 5, 6 }, await registry.ArtifactAsync(name, v3, ct));

        var stages = (await registry.ListAsync(name, ct)).ToDictionary(v => v.Version, v => v.Stage);
        Assert.Equal("archived", stages[v1]);
        Assert.Equal("rejected", stages[v2]);
        Assert.Equal("production", stages[v3]);
    }

    [Fact]
    public async Task ConcurrentRegistrationsGetDistinctVersions()
    {
        var registry = new ModelRegistry(pg.DataSource);
        var name = $"m-{Guid.NewGuid():N}";
        var versions = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            registry.RegisterAsync(name, [(byte)i], new Dictionary<string, double>(), null, CancellationToken.None)));
        Assert.Equal(Enumerable.Range(1, 8), versions.Order());
    }

    [Fact]
    public async Task ArtifactsAreStoredInChunksAndCheckedWhenRead()
    {
        var ct = TestContext.Current.CancellationToken;
        var registry = new ModelRegistry(pg.DataSource) { ChunkBytes = 7 };
        var name = $"chunks-{Guid.NewGuid():N}";
        var rng = new Random(5);
        var store = new StoreBuilder(pg.DataSource);
        foreach (int length in new[] { 50, 14, 1, 0 })
        {
            var bytes = new byte[length];
            rng.NextBytes(bytes);
            var v = await registry.RegisterAsync(name, new MemoryStream(bytes), new Dictionary<string, double>(), null, ct);
            Assert.Equal(bytes, await registry.ArtifactAsync(name, v, ct));
            // 7-byte pieces, the last one shorter; never an empty piece (14 bytes = exactly two).
            var sizes = await store.ScalarAsync<int[]>(
                "SELECT coalesce(array_agg(octet_length(bytes) ORDER BY seq), '{}') FROM model_artifact_chunk WHERE model_name = @n AND version = @v",
                ("n", name), ("v", v));
            Assert.Equal(Enumerable.Range(0, (length + 6) / 7).Select(i => Math.Min(7, length - 7 * i)), sizes);
            Assert.Equal(length, (await registry.ListAsync(name, ct)).Single(x => x.Version == v).ArtifactBytes);
        }
        Assert.Null(await registry.ArtifactAsync(name, 99, ct));

        // A damaged piece is refused, never handed to a loader.
        await store.ExecAsync("UPDATE model_artifact_chunk SET bytes = '\\x00' WHERE model_name = @n AND version = 1 AND seq = 3", ("n", name));
        var corrupt = await Assert.ThrowsAsync<InvalidDataException>(() => registry.ArtifactAsync(name, 1, ct));
        Assert.Contains($"artifact of {name} v1 is corrupt", corrupt.Message);
    }

    [Fact]
    public async Task AnUploadThatFailsLeavesNoVersion()
    {
        var ct = TestContext.Current.CancellationToken;
        var registry = new ModelRegistry(pg.DataSource) { ChunkBytes = 4 };
        var name = $"broken-{Guid.NewGuid():N}";
        await Assert.ThrowsAsync<IOException>(() =>
            registry.RegisterAsync(name, new FailingStream(bytesBeforeFailure: 10), new Dictionary<string, double>(), null, ct));
        Assert.Empty(await registry.ListAsync(name, ct));
        Assert.Equal(0L, await new StoreBuilder(pg.DataSource).ScalarAsync<long>(
            "SELECT count(*) FROM model_artifact_chunk WHERE model_name = @n", ("n", name)));
        Assert.Equal(1, await registry.RegisterAsync(name, [1], new Dictionary<string, double>(), null, ct)); // the number was not used up
    }

    /// <summary>Yields zeros, then fails like a broken disk or connection.</summary>
    private sealed class FailingStream(int bytesBeforeFailure) : Stream
    {
        private int _left = bytesBeforeFailure;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_left == 0) throw new IOException("the artifact's source failed");
            int n = Math.Min(count, _left);
            Array.Clear(buffer, offset, n);
            _left -= n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
