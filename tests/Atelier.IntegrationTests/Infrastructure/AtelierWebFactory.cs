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

    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseEnvironment("Testing");
}
