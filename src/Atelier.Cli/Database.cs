using Atelier.Data.Hosting;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Atelier.Cli;

/// <summary>Resolves the database the CLI works on, starting the project-managed cluster when needed.</summary>
internal static class Database
{
    public static IConfiguration Configuration { get; } = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(ProjectPaths.Root, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build();

    public static DatabaseTarget Target => DatabaseTarget.Resolve(Configuration);

    /// <summary>The connection string; with no configured server the local cluster is started (initialised on first use).</summary>
    public static async Task<string> ConnectionStringAsync(CancellationToken ct)
    {
        if (Target.ConfiguredConnectionString is { } configured) return configured;
        var cluster = LocalCluster.Default();
        await cluster.StartAsync(ct);
        return cluster.ConnectionString();
    }

    public static async Task<NpgsqlDataSource> DataSourceAsync(CancellationToken ct) =>
        NpgsqlDataSource.Create(await ConnectionStringAsync(ct));
}
