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
}
