using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
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
    private const string Seller = "bench-seller@atelier.local";
    private const string Password = "bench password 123";

    public static async Task<RecsEndpointFigures> RunAsync(CancellationToken ct)
    {
        await using var db = await ScratchDatabase.CreateAsync("atelier_benchrecs", ct);
        long[] customers;
        await using (var ds = NpgsqlDataSource.Create(db.ConnectionString))
        {
            await MigrationRunner.MigrateAsync(ds, ct);
            await new DemoStoreGenerator(ds).GenerateAsync(2000, seed: 7, ct);
            await new RecsTrainer(ds, new ModelRegistry(ds)).TrainAsync(promote: true, force: true, ct);
            var hash = new PasswordHasher<AccountCredential>().HashPassword(new AccountCredential(), Password);
            await using (var cmd = ds.CreateCommand("INSERT INTO app_user (email, password_hash, role) VALUES (@e, @h, 'seller')"))
            {
                cmd.Parameters.AddWithValue("e", Seller);
                cmd.Parameters.AddWithValue("h", hash);
                await cmd.ExecuteNonQueryAsync(ct);
            }
            var list = new List<long>();
            await using var ids = ds.CreateCommand("SELECT DISTINCT customer_id FROM orders ORDER BY 1");
            await using (var r = await ids.ExecuteReaderAsync(ct))
                while (await r.ReadAsync(ct)) list.Add(r.GetInt64(0));
            customers = list.ToArray();
        }

        await using var web = ScratchWebApp.Start(db.ConnectionString, Concurrency * 2,
            new Dictionary<string, string> { ["Atelier__Api__LoginPermitsPerMinute"] = "100000" });
        var http = web.Client;
        await web.WaitForAsync("/health/ready", TimeSpan.FromSeconds(120), ct);
        using (var login = await http.PostAsJsonAsync("/api/accounts/login", new { email = Seller, password = Password }, ct))
        {
            if (!login.IsSuccessStatusCode) throw new CliException($"bench login failed: {(int)login.StatusCode}");
            using var doc = JsonDocument.Parse(await login.Content.ReadAsStringAsync(ct));
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", doc.RootElement.GetProperty("accessToken").GetString());
        }
        // The watcher loads the promoted model at start; wait until it answers.
        await web.WaitForAsync($"/api/recommendations/customers/{customers[0]}", TimeSpan.FromSeconds(120), ct);

        // Warm-up, then the two phases on the same server, constant first.
        await PhaseAsync(http, _ => "/api/ping", 2_000, ct);
        var constant = await PhaseAsync(http, _ => "/api/ping", Requests, ct);
        var endpoint = await PhaseAsync(http, i => $"/api/recommendations/customers/{customers[i % customers.Length]}?n=12", Requests, ct);
        return new RecsEndpointFigures(endpoint.Rps, endpoint.P99, constant.Rps, constant.P99) { EndpointP50Ms = endpoint.P50, ConstantP50Ms = constant.P50 };
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
}
