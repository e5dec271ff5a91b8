using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Atelier.Data.Hosting;
using Npgsql;

namespace Atelier.Cli;

/// <summary>A throwaway database on the configured (or local) server, dropped on dispose: benchmarks never touch real data.</summary>
internal sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string _server;
    private readonly string _name;

    private ScratchDatabase(string server, string name, string connectionString)
    {
        _server = server;
        _name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<ScratchDatabase> CreateAsync(string prefix, CancellationToken ct)
    {
        var server = await Database.ConnectionStringAsync(ct);
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 17, 60)];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync(ct);
        }
        return new ScratchDatabase(server, name, new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 100 }.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_server);
        await admin.OpenAsync(CancellationToken.None);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync(CancellationToken.None);
    }
}

/// <summary>
/// The web app as a child process on a free loopback port (the CLI never references the web project), for benchmarks
/// that measure real HTTP. Killed with its process tree on dispose.
/// </summary>
internal sealed class ScratchWebApp : IAsyncDisposable
{
    private readonly Process _process;

    private ScratchWebApp(Process process, int port, int maxConnections)
    {
        _process = process;
        Port = port;
        Client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = maxConnections, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }
    public HttpClient Client { get; }

    public static ScratchWebApp Start(string connectionString, int maxConnections, IReadOnlyDictionary<string, string>? environment = null)
    {
        var webDll = Environment.GetEnvironmentVariable("ATELIER_WEB_DLL");
        if (string.IsNullOrEmpty(webDll) || !File.Exists(webDll))
            throw new CliException("the web app is not built: run this through the ./atelier launcher");
        int port;
        using (var l = new TcpListener(IPAddress.Loopback, 0))
        {
            l.Start();
            port = ((IPEndPoint)l.LocalEndpoint).Port;
        }
        var psi = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(webDll)!,
        };
        foreach (var a in new[] { webDll, "--urls", $"http://127.0.0.1:{port}", "--contentRoot", Path.Combine(ProjectPaths.Root, "src", "Atelier.Web") })
            psi.ArgumentList.Add(a);
        psi.Environment["ConnectionStrings__Atelier"] = connectionString;
        psi.Environment["ATELIER_DB"] = connectionString;
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        if (environment is not null) foreach (var (k, v) in environment) psi.Environment[k] = v;
        var process = Process.Start(psi) ?? throw new CliException("could not start the web app");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ScratchWebApp(process, port, maxConnections);
    }

    /// <summary>Polls <paramref name="path"/> until it answers 2xx.</summary>
    public async Task WaitForAsync(string path, TimeSpan timeout, CancellationToken ct)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited) throw new CliException($"the web app exited with code {_process.ExitCode} before {path} answered");
            try
            {
                using var r = await Client.GetAsync(path, ct);
                if (r.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(250, ct);
        }
        throw new CliException($"{path} did not answer within {timeout.TotalSeconds:0} s");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
        _process.Dispose();
    }
}
