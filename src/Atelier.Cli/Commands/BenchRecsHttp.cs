using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Atelier.Data.Hosting;
using Atelier.Data.Migrations;
using Atelier.Services.Accounts;
using Atelier.Services.Demo;
using Atelier.Services.Models;
using Atelier.Services.Recommendations;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace Atelier.Cli.Commands;

/// <summary>
/// HTTP benchmark of <c>GET /api/recommendations/customers/{id}</c> beside the constant <c>GET /api/ping</c> on the same
/// server in the same run: a throwaway database with a generated store, a trained and promoted recommender, the web
/// app as a child process on a free loopback port, a bounded closed-loop load (count and time).
/// </summary>
internal static class BenchRecsHttp
{
    private const int Concurrency = 16;
    private const int Requests = 20_000;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(15);

    public static async Task<RecsEndpointFigures> RunAsync(CancellationToken ct)
    {
        var webDll = Environment.GetEnvironmentVariable("ATELIER_WEB_DLL");
        if (string.IsNullOrEmpty(webDll) || !File.Exists(webDll)) throw new CliException("run through ./atelier: the web app must be built");
        var server = await Database.ConnectionStringAsync(ct);
        var dbName = $"atelier_benchrecs_{Guid.NewGuid():N}"[..30];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {dbName}", admin);
            await create.ExecuteNonQueryAsync(ct);
        }
        var cs = new NpgsqlConnectionStringBuilder(server) { Database = dbName, MaxPoolSize = 50 }.ConnectionString;
        Process? web = null;
        try
        {
            long[] customers;
            await using (var ds = NpgsqlDataSource.Create(cs))
            {
                await MigrationRunner.MigrateAsync(ds, ct);
                await new DemoStoreGenerator(ds).GenerateAsync(2000, seed: 7, ct);
                await new RecsTrainer(ds, new ModelRegistry(ds)).TrainAsync(promote: true, force: true, ct);
                var hash = new PasswordHasher<AccountCredential>().HashPassword(new AccountCredential(), "bench password 123");
                await using (var cmd = ds.CreateCommand("INSERT INTO app_user (email, password_hash, role) VALUES ('bench-seller@atelier.local', @h, 'seller')"))
                {
                    cmd.Parameters.AddWithValue("h", hash);
                    await cmd.ExecuteNonQueryAsync(ct);
                }
                await using var ids = ds.CreateCommand("SELECT DISTINCT customer_id FROM orders ORDER BY 1");
                var list = new List<long>();
                await using (var r = await ids.ExecuteReaderAsync(ct))
                    while (await r.ReadAsync(ct)) list.Add(r.GetInt64(0));
                customers = list.ToArray();
            }

            int port;
            using (var l = new TcpListener(IPAddress.Loopback, 0))
            {
                l.Start();
                port = ((IPEndPoint)l.LocalEndpoint).Port;
            }
            var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(webDll)! };
            foreach (var a in new[] { webDll, "--urls", $"http://127.0.0.1:{port}", "--contentRoot", Path.Combine(ProjectPaths.Root, "src", "Atelier.Web") })
                psi.ArgumentList.Add(a);
            psi.Environment["ConnectionStrings__Atelier"] = cs;
            psi.Environment["ATELIER_DB"] = cs;
            psi.Environment["Logging__LogLevel__Default"] = "Warning";
            psi.Environment["Atelier__Api__LoginPermitsPerMinute"] = "100000";
            web = Process.Start(psi) ?? throw new CliException("could not start the web app");
            web.OutputDataReceived += (_, _) => { };
            web.ErrorDataReceived += (_, _) => { };
            web.BeginOutputReadLine();
            web.BeginErrorReadLine();

            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency * 2 })
            { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitAsync(http, web, "/health/ready", ct);
            using (var login = await http.PostAsJsonAsync("/api/accounts/login", new { email = "bench-seller@atelier.local", password = "bench password 123" }, ct))
            {
                if (!login.IsSuccessStatusCode) throw new CliException($"bench login failed: {(int)login.StatusCode}");
                using var doc = JsonDocument.Parse(await login.Content.ReadAsStringAsync(ct));
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", doc.RootElement.GetProperty("accessToken").GetString());
            }
            // The watcher loads the promoted model at start; wait until it answers.
            await WaitAsync(http, web, $"/api/recommendations/customers/{customers[0]}", ct);

            // Warm-up, then the two phases, constant first.
            await PhaseAsync(http, i => "/api/ping", 2_000, ct);
            var constant = await PhaseAsync(http, _ => "/api/ping", Requests, ct);
            var endpoint = await PhaseAsync(http, i => $"/api/recommendations/customers/{customers[i % customers.Length]}?n=12", Requests, ct);
            return new RecsEndpointFigures(endpoint.Rps, endpoint.P99, constant.Rps, constant.P99) { EndpointP50Ms = endpoint.P50, ConstantP50Ms = constant.P50 };
        }
        finally
        {
            if (web is { HasExited: false })
            {
                web.Kill(entireProcessTree: true);
                await web.WaitForExitAsync(CancellationToken.None);
            }
            web?.Dispose();
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync(CancellationToken.None);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {dbName} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private static async Task<(double Rps, double P50, double P99)> PhaseAsync(HttpClient http, Func<int, string> url, int requests, CancellationToken ct)
    {
        var latencies = new double[requests];
        var done = 0;
        var next = -1;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Duration);
        var total = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests && !deadline.IsCancellationRequested)
            {
                var t = Stopwatch.GetTimestamp();
                using var r = await http.GetAsync(url(i), CancellationToken.None);
                await r.Content.LoadIntoBufferAsync(CancellationToken.None);
                if (!r.IsSuccessStatusCode) throw new CliException($"GET {url(i)} answered {(int)r.StatusCode}");
                latencies[Interlocked.Increment(ref done) - 1] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            }
        }, ct)).ToArray();
        await Task.WhenAll(workers);
        var seconds = total.Elapsed.TotalSeconds;
        var sorted = latencies.AsSpan(0, done).ToArray();
        Array.Sort(sorted);
        double Pct(double p) => sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)], 2);
        return (Math.Round(done / seconds, 1), Pct(0.5), Pct(0.99));
    }

    private static async Task WaitAsync(HttpClient http, Process web, string path, CancellationToken ct)
    {
        var until = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < until)
        {
            if (web.HasExited) throw new CliException($"the web app exited with code {web.ExitCode}");
            try
            {
                using var r = await http.GetAsync(path, ct);
                if (r.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(250, ct);
        }
        throw new CliException($"{path} did not answer 200 within 120 s");
    }
}
