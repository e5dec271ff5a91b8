using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Atelier.IntegrationTests.Infrastructure;

/// <summary>The real web app in-process, on the test database.</summary>
public sealed class AtelierWebFactory : WebApplicationFactory<Program>
{
    public AtelierWebFactory(PostgresFixture pg)
    {
        // Program reads the connection string while building; the environment variable is seen at that point.
        Environment.SetEnvironmentVariable("ATELIER_DB", pg.ConnectionString);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        // No background jobs against the shared database: no nightly batch (a run spanning 03:00 UTC would write
        // batches into other tests' data), no registry polling (it would swap another test's promoted model over the
        // engine a test serves on purpose).
        builder.UseEnvironment("Testing").UseSetting("Atelier:Recs:NightlyBatchAtUtc", "").UseSetting("Atelier:Insights:NightlyAtUtc", "").UseSetting("Atelier:Recs:WatchRegistry", "false");
}
