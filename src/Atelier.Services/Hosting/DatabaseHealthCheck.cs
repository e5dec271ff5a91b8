using Atelier.Data.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Atelier.Services.Hosting;

/// <summary>Ready when PostgreSQL answers and the schema is migrated; reports where and which version.</summary>
public sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var where = DatabaseTarget.Describe(dataSource.ConnectionString);
        try
        {
            await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var cmd = new NpgsqlCommand(
                "SELECT current_setting('server_version'), (SELECT max(version) FROM schema_version)", conn);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var data = new Dictionary<string, object>
            {
                ["database"] = where,
                ["server_version"] = reader.GetString(0),
                ["schema_version"] = reader.IsDBNull(1) ? 0 : reader.GetInt32(1),
            };
            return HealthCheckResult.Healthy("PostgreSQL reachable and migrated", data);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or PostgresException)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL at {where} not ready: {ex.Message}", ex,
                new Dictionary<string, object> { ["database"] = where });
        }
    }
}
