using Atelier.IntegrationTests.Api;
using Atelier.IntegrationTests.Infrastructure;
using Atelier.Ml.Recommenders;
using Atelier.Services.Models;
using Atelier.Services.Recommendations;
using Microsoft.Extensions.Logging.Abstractions;

namespace Atelier.IntegrationTests.Recommendations;

/// <summary>
/// A trained version's artifact is the fitted engine: the registry hands it to a server, which loads it without
/// refitting and serves exactly what was trained; artifacts of the older snapshot-only format are still served.
/// </summary>
public sealed class RecsArtifactTests(PostgresFixture pg)
{
    [Fact]
    public async Task TrainedVersionLoadsWithoutRefitAndServesWhatATrainingRunServes()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new StoreBuilder(pg.DataSource);
        var category = await store.CategoryAsync();
        var type = await store.ProductTypeAsync($"Knit{store.Tag}");
        var articles = await store.ProductArticlesAsync(12, category, type, "Knit", 25m, stock: 40);
        var customers = new long[16];
        for (var c = 0; c < customers.Length; c++)
        {
            customers[c] = await store.CustomerAsync();
            await store.HistoricalOrderAsync(customers[c], DateTime.UtcNow.AddDays(-2 - c), (articles[c % 12], 1, 25m), (articles[(c + 3) % 12], 1, 25m));
            await store.HistoricalOrderAsync(customers[c], DateTime.UtcNow.AddDays(-1), (articles[c % 12], 1, 25m));
        }

        var registry = new ModelRegistry(pg.DataSource);
        var result = await new RecsTrainer(pg.DataSource, registry).TrainAsync(promote: true, force: true, ct);
        Assert.True(result.Promoted, result.Reason);
        var artifact = (await registry.ArtifactAsync(RecommendationService.ModelName, result.Version, ct))!;

        var loaded = RecsArtifact.Deserialize(artifact, out var refitted);
        Assert.False(refitted);
        // Bit-exact: the loaded engine writes the very bytes it was read from.
        Assert.Equal(artifact, RecsArtifact.Serialize(loaded));

        // Training is seeded: refitting the same snapshot (the old artifact format) gives the same lists and scores.
        var refit = RecsArtifact.Deserialize(RecsSnapshotSerializer.Serialize(loaded.Snapshot), out var wasRefitted);
        Assert.True(wasRefitted);
        var none = ItemSet.Of(loaded.ItemCount, []);
        foreach (var customer in customers)
        {
            var a = loaded.ForCustomer(customer, new RecsRequest(), none);
            var b = refit.ForCustomer(customer, new RecsRequest(), none);
            Assert.NotEmpty(a);
            Assert.Equal(b.Select(x => (x.ArticleId, x.Score, x.Reason)), a.Select(x => (x.ArticleId, x.Score, x.Reason)));
        }
        Assert.Equal(refit.Similar(articles[0], 6, none).Select(x => x.ArticleId), loaded.Similar(articles[0], 6, none).Select(x => x.ArticleId));
        Assert.Equal(refit.CompleteOutfit([articles[0]], 6, none).Select(x => x.ArticleId),
            loaded.CompleteOutfit([articles[0]], 6, none).Select(x => x.ArticleId));

        // A server's watcher picks the production version up from the registry.
        var service = new RecommendationService(pg.DataSource);
        await new RecsModelWatcher(registry, service, NullLogger<RecsModelWatcher>.Instance).CheckOnceAsync(ct);
        // Another test may promote a version between the watcher's read and this one: the served version is one that has
        // been in production, and it answers.
        var served = Assert.IsType<int>(service.Version);
        Assert.NotNull(Assert.Single(await registry.ListAsync(RecommendationService.ModelName, ct), v => v.Version == served).PromotedAt);
        Assert.NotEmpty((await service.ForCustomerAsync(customers[0], new RecsRequest(), ct)).Items);
    }

    [Fact]
    public void AnythingElseIsRejectedWithAClearError()
    {
        var ex = Assert.ThrowsAny<Exception>(() => RecsArtifact.Deserialize([1, 2, 3]));
        Assert.True(ex is InvalidDataException or IOException, ex.GetType().Name);
    }
}
