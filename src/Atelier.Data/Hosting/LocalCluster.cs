using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Atelier.Data.Hosting;

/// <summary>
/// A PostgreSQL cluster the project owns: initdb on first use (as the <c>postgres</c> user via runuser when
/// running as root, since initdb refuses root), TCP on a free loopback port only, log file beside the data.
/// </summary>
public sealed class LocalCluster
{
    public const string DatabaseName = "atelier";
    public const string UserName = "atelier";

    public LocalCluster(string baseDir, bool fastUnsafe = false)
    {
        BaseDir = Path.GetFullPath(baseDir);
        FastUnsafe = fastUnsafe;
    }

    /// <summary>The default cluster under <c>.atelier/pg</c>.</summary>
    public static LocalCluster Default() => new(Path.Combine(ProjectPaths.StateDir, "pg"));

    public string BaseDir { get; }
    /// <summary>fsync off etc.: for throwaway test clusters only.</summary>
    public bool FastUnsafe { get; }
    public string DataDir => Path.Combine(BaseDir, "data");
    public string LogFile => Path.Combine(BaseDir, "postgresql.log");
    private string PortFile => Path.Combine(BaseDir, "port");

    public bool IsInitialised => File.Exists(Path.Combine(DataDir, "PG_VERSION"));

    public int? Port => File.Exists(PortFile) && int.TryParse(File.ReadAllText(PortFile).Trim(), out var p) ? p : null;

    public string ConnectionString(string database = DatabaseName) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port ?? throw new InvalidOperationException("the local cluster has no port yet: start it first"),
        Username = UserName,
        Database = database,
        Pooling = true,
        MaxPoolSize = 100,
        Timeout = 15,
        CommandTimeout = 0,
        IncludeErrorDetail = true,
    }.ConnectionString;

    public static string? FindBinDir()
    {
        var env = Environment.GetEnvironmentVariable("ATELIER_PG_BIN");
        if (!string.IsNullOrWhiteSpace(env) && File.Exists(Path.Combine(env, "pg_ctl"))) return env;
        const string root = "/usr/lib/postgresql";
        if (Directory.Exists(root))
        {
            var best = Directory.GetDirectories(root)
                .Select(d => (dir: Path.Combine(d, "bin"), ver: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(x => File.Exists(Path.Combine(x.dir, "pg_ctl")))
                .OrderByDescending(x => x.ver)
                .FirstOrDefault();
            if (best.dir is not null) return best.dir;
        }
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, "pg_ctl"))) return dir;
        return null;
    }

    private static string BinDir => FindBinDir() ?? throw new InvalidOperationException(
        "PostgreSQL server binaries (pg_ctl, initdb) not found: run 'sudo apt-get install -y postgresql' or set ATELIER_DB to an existing server");

    private static bool IsRoot => Environment.UserName == "root";

    public async Task<bool> IsRunningAsync(CancellationToken ct = default)
    {
        if (!IsInitialised || Port is null) return false;
        var (code, _) = await RunAsync(Path.Combine(BinDir, "pg_ctl"), ["status", "-D", DataDir], ct);
        return code == 0;
    }

    /// <summary>Initialises (first use) and starts the cluster, then ensures the application database exists.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        Directory.CreateDirectory(BaseDir);
        if (!IsInitialised) await InitAsync(ct);
        if (await IsRunningAsync(ct))
        {
            await EnsureDatabaseAsync(ct);
            return;
        }
        var port = Port is { } p && IsPortFree(p) ? p : FreePort();
        await File.WriteAllTextAsync(PortFile, port.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
        var options = $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200";
        if (FastUnsafe) options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400";
        var (code, output) = await RunAsync(Path.Combine(BinDir, "pg_ctl"),
            ["start", "-D", DataDir, "-l", LogFile, "-w", "-t", "60", "-o", options], ct);
        if (code != 0)
            throw new InvalidOperationException($"pg_ctl start failed ({code}): {LastLines(output)} — see {LogFile}");
        await EnsureDatabaseAsync(ct);
    }

    public async Task StopAsync(CancellationToken ct = default)
    {
        if (!IsInitialised) return;
        if (!await IsRunningAsync(ct)) return;
        var (code, output) = await RunAsync(Path.Combine(BinDir, "pg_ctl"), ["stop", "-D", DataDir, "-m", "fast", "-w"], ct);
        if (code != 0) throw new InvalidOperationException($"pg_ctl stop failed: {LastLines(output)}");
    }

    /// <summary>Stops the cluster and deletes its folder.</summary>
    public async Task DestroyAsync()
    {
        try { await StopAsync(CancellationToken.None); }
        catch (InvalidOperationException) { /* best effort: the folder goes anyway */ }
        if (Directory.Exists(BaseDir)) Directory.Delete(BaseDir, recursive: true);
    }

    private async Task InitAsync(CancellationToken ct)
    {
        if (Directory.Exists(DataDir)) Directory.Delete(DataDir, recursive: true);
        Directory.CreateDirectory(DataDir);
        if (IsRoot)
        {
            // initdb refuses root: the data folder belongs to postgres, which must also reach it.
            await RunAsync("chown", ["-R", "postgres:postgres", BaseDir], ct);
            for (var dir = Directory.GetParent(BaseDir); dir is not null; dir = dir.Parent)
                if ((File.GetUnixFileMode(dir.FullName) & UnixFileMode.OtherExecute) == 0)
                    File.SetUnixFileMode(dir.FullName, File.GetUnixFileMode(dir.FullName) | UnixFileMode.OtherExecute);
        }
        var (code, output) = await RunAsync(Path.Combine(BinDir, "initdb"),
            ["-D", DataDir, "-U", UserName, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"], ct);
        if (code != 0)
            throw new InvalidOperationException($"initdb failed ({code}): {LastLines(output)}");
    }

    private async Task EnsureDatabaseAsync(CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(ConnectionString("postgres"));
        await conn.OpenAsync(ct);
        await using var check = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @n", conn);
        check.Parameters.AddWithValue("n", DatabaseName);
        if (await check.ExecuteScalarAsync(ct) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName}", conn);
            await create.ExecuteNonQueryAsync(ct);
        }
    }

    private static bool IsPortFree(int port)
    {
        try
        {
            using var l = new TcpListener(IPAddress.Loopback, port);
            l.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static string LastLines(string s) =>
        string.Join(" | ", s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(3));

    /// <summary>Runs a PostgreSQL tool, as the postgres user when we are root.</summary>
    private static async Task<(int Code, string Output)> RunAsync(string file, string[] args, CancellationToken ct)
    {
        var psi = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (IsRoot && file != "chown")
        {
            psi.FileName = "runuser";
            foreach (var a in new[] { "-u", "postgres", "--", file }) psi.ArgumentList.Add(a);
        }
        else psi.FileName = file;
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.WorkingDirectory = "/";
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        return (p.ExitCode, await stdout + await stderr);
    }
}
