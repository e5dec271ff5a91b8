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

    // No nightly batch in tests: a run that spans 03:00 UTC must not write batches into other tests' data.
    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.UseEnvironment("Testing").UseSetting("Atelier:Recs:NightlyBatchAtUtc", "");
}
