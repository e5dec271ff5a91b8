using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Atelier.Data.Hosting;

/// <summary>
/// Where the database is: a configured server (<c>ATELIER_DB</c> or <c>ConnectionStrings:Atelier</c>), or the
/// project-managed local cluster under <c>.atelier/pg</c>. With a configured server no local cluster is touched.
/// </summary>
public sealed record DatabaseTarget(string? ConfiguredConnectionString)
{
    public bool IsManaged => ConfiguredConnectionString is null;

    public static DatabaseTarget Resolve(IConfiguration? configuration = null)
    {
        var env = Environment.GetEnvironmentVariable("ATELIER_DB");
        if (!string.IsNullOrWhiteSpace(env)) return new DatabaseTarget(env);
        var configured = configuration?.GetConnectionString("Atelier");
        return new DatabaseTarget(string.IsNullOrWhiteSpace(configured) ? null : configured);
    }

    public static string Describe(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{b.Username}@{b.Host}:{b.Port}/{b.Database}";
    }
}
