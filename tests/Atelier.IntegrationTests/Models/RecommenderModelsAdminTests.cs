using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atelier.IntegrationTests.Api;
using Atelier.IntegrationTests.Infrastructure;
using Atelier.IntegrationTests.Pages;
using Atelier.Services.Accounts;
using Atelier.Services.Models;
using Atelier.Services.Recommendations;
using Microsoft.Extensions.DependencyInjection;

namespace Atelier.IntegrationTests.Models;

/// <summary>
/// The recommender in the registry over HTTP and on the staff page: staff read versions, runs and the gate; only admins
/// promote, roll back and retrain. Other tests register versions of the same model in the shared database at the same
/// time, so every check looks up the versions this test made.
/// </summary>
public sealed class RecommenderModelsAdminTests(PostgresFixture pg) : IDisposable
{
    private const string Base = $"/api/admin/models/{RecommendationService.ModelName}";
    private readonly ApiHost _api = new(pg);

    /// <summary>A version whose hold-out MAP@12 is below its own best-seller baseline: broken, whatever production is.</summary>
    private async Task<int> RegisterBrokenVersionAsync(CancellationToken ct) =>
        await new ModelRegistry(pg.DataSource).RegisterAsync(RecommendationService.ModelName, [1, 2, 3],
            new Dictionary<string, double> { ["map_at_12"] = 0.010, ["popularity_map_at_12"] = 0.020, ["test_customers"] = 40 }, null, ct);

    /// <summary>A real, loadable version trained on a small store of its own (registered as a candidate, not promoted).</summary>
    private async Task<(int Version, long Customer)> RegisterRealVersionAsync(CancellationToken ct)
    {
        var store = new StoreBuilder(pg.DataSource);
        var articles = await store.ProductArticlesAsync(10, await store.CategoryAsync(), await store.ProductTypeAsync($"Scarf{store.Tag}"), "Scarf", 19m, stock: 40);
        var customers = new List<long>();
        for (var c = 0; c < 8; c++)
        {
            customers.Add(await store.CustomerAsync());
            await store.HistoricalOrderAsync(customers[^1], DateTime.UtcNow.AddDays(-3 - c), (articles[c], 1, 19m), (articles[c + 2], 1, 19m));
        }
        var engine = RecsEngine.Train(await RecsSnapshot.LoadAsync(pg.DataSource, ct, customers));
        var version = await new ModelRegistry(pg.DataSource).RegisterAsync(RecommendationService.ModelName, RecsArtifact.Serialize(engine),
            new Dictionary<string, double> { ["map_at_12"] = 0.5, ["popularity_map_at_12"] = 0.1, ["test_customers"] = 8 }, null, ct);
        return (version, customers[0]);
    }

    private static JsonElement VersionOf(JsonElement overview, int version) =>
        overview.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("version").GetInt32() == version);

    [Fact]
    public async Task StaffReadTheRegistryAndOnlyAdminsPromoteThroughTheGate()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new StoreBuilder(pg.DataSource);
        var customer = await _api.UserAsync(store);
        var seller = await _api.UserAsync(store, AtelierRoles.Seller);
        var admin = await _api.UserAsync(store, AtelierRoles.Admin);
        var broken = await RegisterBrokenVersionAsync(ct);

        using (var anonymous = _api.Anonymous())
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(Base, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.Client.GetAsync(Base, ct)).StatusCode);
        var overview = await ApiHost.JsonAsync(await seller.Client.GetAsync(Base, ct));
        Assert.Equal("popularity_map_at_12", overview.GetProperty("gate").GetProperty("floor").GetString());
        Assert.Equal("candidate", VersionOf(overview, broken).GetProperty("stage").GetString());
        Assert.Equal(3, VersionOf(overview, broken).GetProperty("artifactBytes").GetInt64());

        // Sellers read, admins act.
        Assert.Equal(HttpStatusCode.Forbidden, (await seller.Client.PostAsJsonAsync($"{Base}/versions/{broken}/promote", new { }, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await seller.Client.PostAsync($"{Base}/retrain", null, ct)).StatusCode);

        // The gate: below its own baseline is rejected even though nothing compares it with production.
        var rejected = await ApiHost.AssertProblemAsync(await admin.Client.PostAsJsonAsync($"{Base}/versions/{broken}/promote", new { }, ct), 409);
        Assert.Contains("below its own baseline popularity_map_at_12", rejected.GetProperty("detail").GetString());
        var after = VersionOf(await ApiHost.JsonAsync(await seller.Client.GetAsync(Base, ct)), broken);
        Assert.Equal("rejected", after.GetProperty("stage").GetString());
        Assert.Contains(admin.Email, after.GetProperty("stageReason").GetString());

        var missing = await ApiHost.AssertProblemAsync(await admin.Client.PostAsJsonAsync($"{Base}/versions/{broken + 100_000}/promote", new { }, ct), 404);
        Assert.Contains("does not exist", missing.GetProperty("detail").GetString());
        await ApiHost.AssertProblemAsync(await admin.Client.PostAsJsonAsync($"{Base}/versions/{broken}/promote", new { force = "yes" }, ct), 400, "force");

        // Forcing (a rollback) skips the gate; the version becomes production with who did it.
        var (real, _) = await RegisterRealVersionAsync(ct);
        using var forced = await admin.Client.PostAsJsonAsync($"{Base}/versions/{real}/promote", new { force = true }, ct);
        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        var promoted = await ApiHost.JsonAsync(forced);
        Assert.True(promoted.GetProperty("promoted").GetBoolean());
        Assert.Equal($"forced by {admin.Email}", promoted.GetProperty("reason").GetString());
        Assert.NotNull(VersionOf(await ApiHost.JsonAsync(await seller.Client.GetAsync(Base, ct)), real).GetProperty("promotedAt").GetString());
        foreach (var u in new[] { customer, seller, admin }) u.Client.Dispose();
    }

    [Fact]
    public async Task RetrainNowTrainsInTheBackgroundRegistersARunAndServesWhatTheGatePromotes()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new StoreBuilder(pg.DataSource);
        var articles = await store.ProductArticlesAsync(12, await store.CategoryAsync(), await store.ProductTypeAsync($"Cap{store.Tag}"), "Cap", 12m, stock: 40);
        var buyer = await store.CustomerAsync();
        for (var c = 0; c < 6; c++)
            await store.HistoricalOrderAsync(c == 0 ? buyer : await store.CustomerAsync(), DateTime.UtcNow.AddDays(-2 - c),
                (articles[c], 1, 12m), (articles[c + 6], 1, 12m));
        var admin = await _api.UserAsync(store, AtelierRoles.Admin);
        var job = _api.Factory.Services.GetRequiredService<RecsRetrainJob>();

        using var accepted = await admin.Client.PostAsync($"{Base}/retrain", null, ct);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(Base, accepted.Headers.Location?.OriginalString);
        Assert.True((await ApiHost.JsonAsync(accepted)).GetProperty("running").GetBoolean());
        // One at a time per server: loading the snapshot alone outlasts this second request.
        await ApiHost.AssertProblemAsync(await admin.Client.PostAsync($"{Base}/retrain", null, ct), 409);
        await job.Running.WaitAsync(TimeSpan.FromMinutes(3), ct);

        var overview = await ApiHost.JsonAsync(await admin.Client.GetAsync(Base, ct));
        var retrain = overview.GetProperty("retrain");
        Assert.False(retrain.GetProperty("running").GetBoolean());
        Assert.Equal(JsonValueKind.Null, retrain.GetProperty("error").ValueKind);
        var version = retrain.GetProperty("version").GetInt32();
        var promoted = retrain.GetProperty("promoted").GetBoolean();
        var registered = VersionOf(overview, version);
        Assert.True(registered.GetProperty("metrics").TryGetProperty("popularity_map_at_12", out _));
        // Promoted: production, or archived already if another test promoted a version since.
        Assert.Contains(registered.GetProperty("stage").GetString(), promoted ? ["production", "archived"] : new[] { "rejected" });
        var run = overview.GetProperty("runs").EnumerateArray().Single(r => r.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number && v.GetInt32() == version);
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.StartsWith("as of ", run.GetProperty("dataNote").GetString());
        if (promoted)
        {
            // Served here at once, before any registry poll.
            Assert.Equal(version, overview.GetProperty("servingVersion").GetInt32());
            using var list = await admin.Client.GetAsync($"/api/recommendations/customers/{buyer}?n=4", ct);
            Assert.Equal(version, (await ApiHost.JsonAsync(list)).GetProperty("version").GetInt32());
        }
        admin.Client.Dispose();
    }

    [Fact]
    public async Task TheModelsPageShowsVersionsToStaffAndLetsOnlyAdminsAct()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new StoreBuilder(pg.DataSource);
        var seller = await _api.UserAsync(store, AtelierRoles.Seller);
        var admin = await _api.UserAsync(store, AtelierRoles.Admin);
        var broken = await RegisterBrokenVersionAsync(ct);

        using (var anonymous = _api.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false }))
            Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/admin/models", ct)).StatusCode);

        using var asSeller = await CookieLogin.SignInAsync(_api, seller.Email, null, ct);
        var sellerPage = await asSeller.GetStringAsync("/admin/models", ct);
        Assert.Contains($"data-version=\"{broken}\" data-stage=\"candidate\"", sellerPage);
        Assert.Contains("Promotion gate:", sellerPage);
        Assert.DoesNotContain("Retrain now", sellerPage);
        Assert.DoesNotContain("handler=Promote", sellerPage);
        // A seller who posts the form anyway is refused.
        using var sellerPost = await asSeller.PostAsync("/admin/models?handler=Promote",
            CookieLogin.Form(sellerPage, ("version", broken.ToString(System.Globalization.CultureInfo.InvariantCulture))), ct);
        Assert.True(sellerPost.StatusCode == HttpStatusCode.Forbidden
            || sellerPost.Headers.Location?.OriginalString.Contains("/account/denied", StringComparison.OrdinalIgnoreCase) == true,
            $"{sellerPost.StatusCode} {sellerPost.Headers.Location}");
        Assert.Contains($"data-version=\"{broken}\" data-stage=\"candidate\"", await asSeller.GetStringAsync("/admin/models", ct));

        using var asAdmin = await CookieLogin.SignInAsync(_api, admin.Email, null, ct);
        var adminPage = await asAdmin.GetStringAsync("/admin/models", ct);
        Assert.Contains("Retrain now", adminPage);
        using var post = await asAdmin.PostAsync("/admin/models?handler=Promote",
            CookieLogin.Form(adminPage, ("version", broken.ToString(System.Globalization.CultureInfo.InvariantCulture))), ct);
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        var result = await asAdmin.GetStringAsync("/admin/models", ct);
        Assert.Contains($"v{broken} was not promoted", result);
        Assert.Contains("below its own baseline", result);
        Assert.Contains($"data-version=\"{broken}\" data-stage=\"rejected\"", result);
        // The message is shown once.
        Assert.DoesNotContain($"v{broken} was not promoted", await asAdmin.GetStringAsync("/admin/models", ct));
        seller.Client.Dispose();
        admin.Client.Dispose();
    }

    [Fact]
    public async Task DriftIsForStaffOverHttpAndOnTheModelsPage()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new StoreBuilder(pg.DataSource);
        var customer = await _api.UserAsync(store);
        var seller = await _api.UserAsync(store, AtelierRoles.Seller);
        var (version, _) = await RegisterRealVersionAsync(ct);
        var (engine, _) = (await RecsArtifact.LoadAsync(new ModelRegistry(pg.DataSource), version, ct))!.Value;
        // Served here (the registry watcher may replace it with the production version at any time: both are fine).
        _api.Factory.Services.GetRequiredService<RecommendationService>().Swap(engine, version);

        using (var anonymous = _api.Anonymous())
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{Base}/drift", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.Client.GetAsync($"{Base}/drift", ct)).StatusCode);
        var drift = await ApiHost.JsonAsync(await seller.Client.GetAsync($"{Base}/drift?refresh=true", ct));
        Assert.True(drift.GetProperty("version").GetInt32() > 0);
        Assert.Contains(drift.GetProperty("status").GetString(), new[] { "ok", "drifting", "not_enough_data" });
        var measures = drift.GetProperty("measures").EnumerateArray().Select(m => m.GetProperty("name").GetString()).ToList();
        Assert.Contains("days_since_training", measures);
        Assert.Equal(JsonValueKind.Array, drift.GetProperty("findings").ValueKind);
        await ApiHost.AssertProblemAsync(await seller.Client.GetAsync($"{Base}/drift?refresh=maybe", ct), 400, "refresh");

        using var asSeller = await CookieLogin.SignInAsync(_api, seller.Email, null, ct);
        var page = await asSeller.GetStringAsync("/admin/models", ct);
        Assert.Contains("id=\"drift\"", page);
        Assert.Contains("id=\"drift-status\"", page);
        foreach (var u in new[] { customer, seller }) u.Client.Dispose();
    }

    public void Dispose() => _api.Dispose();
}
