using Atelier.Data.Hosting;
using Atelier.Data.Migrations;
using Npgsql;

[assembly: AssemblyFixture(typeof(Atelier.IntegrationTests.Infrastructure.PostgresFixture))]

namespace Atelier.IntegrationTests.Infrastructure;

/// <summary>
/// A real PostgreSQL for the whole test assembly: the server <c>./atelier test</c> started (ATELIER_TEST_DB),
/// or a throwaway cluster this fixture starts itself. Each run gets a fresh, migrated database.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private LocalCluster? _ownCluster;
    private string _adminConnectionString = "";
    private string _database = "";

    public string ConnectionString { get; private set; } = "";
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var server = Environment.GetEnvironmentVariable("ATELIER_TEST_DB");
        if (string.IsNullOrWhiteSpace(server))
        {
            _ownCluster = new LocalCluster(Path.Combine(Path.GetTempPath(), $"atelier-it-{Environment.ProcessId}"), fastUnsafe: true);
            await _ownCluster.StartAsync();
            server = _ownCluster.ConnectionString();
        }
        _adminConnectionString = server;
        _database = $"atelier_it_{Guid.NewGuid():N}"[..30];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {_database}", admin);
            await create.ExecuteNonQueryAsync();
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = _database, MaxPoolSize = 120, Timeout = 60 }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        await MigrationRunner.MigrateAsync(DataSource);
    }

    /// <summary>A new empty database on the same server (for tests of migrations themselves).</summary>
    public async Task<string> CreateEmptyDatabaseAsync()
    {
        var name = $"atelier_m_{Guid.NewGuid():N}"[..28];
        await using var admin = new NpgsqlConnection(_adminConnectionString);
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
        await create.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        if (_ownCluster is not null) await _ownCluster.DestroyAsync();
    }
}
