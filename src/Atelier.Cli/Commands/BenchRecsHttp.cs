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
    private const string Seller = "bench-admin@atelier.local";
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
            await using (var cmd = ds.CreateCommand("INSERT INTO app_user (email, password_hash, role) VALUES (@e, @h, 'admin')"))
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

        RecsEndpointFigures figures;
        var duringRetraining = new List<RetrainLoadFigures>();
        await using (var web = await StartAsync(db.ConnectionString, customers[0], null, ct))
        {
            // Warm-up, then the two phases on the same server, constant first.
            await PhaseAsync(web.Client, _ => "/api/ping", 2_000, Duration, ct);
            var constant = await PhaseAsync(web.Client, _ => "/api/ping", Requests, Duration, ct);
            var endpoint = await PhaseAsync(web.Client, CustomerUrl(customers), Requests, Duration, ct);
            figures = new RecsEndpointFigures(endpoint.Rps, endpoint.P99, constant.Rps, constant.P99) { EndpointP50Ms = endpoint.P50, ConstantP50Ms = constant.P50 };
            // The same endpoint while this server retrains the recommender in the background (default: all cores but one).
            duringRetraining.Add(await DuringRetrainingAsync(web.Client, customers, TrainingCores.From(null), ct));
        }
        // And on a server told to train on every core, for comparison.
        await using (var web = await StartAsync(db.ConnectionString, customers[0], "0", ct))
        {
            // The same history as the first server before its retraining (JIT tiers, connection pool), figures discarded.
            await PhaseAsync(web.Client, _ => "/api/ping", 2_000 + Requests, Duration, ct);
            await PhaseAsync(web.Client, CustomerUrl(customers), Requests, Duration, ct);
            duringRetraining.Add(await DuringRetrainingAsync(web.Client, customers, Environment.ProcessorCount, ct));
        }
        return figures with { DuringRetraining = duringRetraining };
    }

    private static async Task<ScratchWebApp> StartAsync(string connectionString, long customer, string? trainingCores, CancellationToken ct)
    {
        var env = new Dictionary<string, string> { ["Atelier__Api__LoginPermitsPerMinute"] = "100000" };
        if (trainingCores is not null) env["Atelier__Recs__TrainingCores"] = trainingCores;
        var web = ScratchWebApp.Start(connectionString, Concurrency * 2, env);
        var http = web.Client;
        await web.WaitForAsync("/health/ready", TimeSpan.FromSeconds(120), ct);
        using (var login = await http.PostAsJsonAsync("/api/accounts/login", new { email = Seller, password = Password }, ct))
        {
            if (!login.IsSuccessStatusCode) throw new CliException($"bench login failed: {(int)login.StatusCode}");
            using var doc = JsonDocument.Parse(await login.Content.ReadAsStringAsync(ct));
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", doc.RootElement.GetProperty("accessToken").GetString());
        }
        // The watcher loads the promoted model at start; wait until it answers.
        await web.WaitForAsync($"/api/recommendations/customers/{customer}", TimeSpan.FromSeconds(120), ct);
        return web;
    }

    /// <summary>The customer endpoint's URL for the i-th request: the store's customers in turn.</summary>
    private static Func<int, string> CustomerUrl(long[] customers) => i => $"/api/recommendations/customers/{customers[i % customers.Length]}?n=12";

    /// <summary>Starts a retraining on the server (admin API) and loads the customer endpoint until it has finished.</summary>
    private static async Task<RetrainLoadFigures> DuringRetrainingAsync(HttpClient http, long[] customers, int cores, CancellationToken ct)
    {
        const string models = "/api/admin/models/recs-hybrid";
        using (var start = await http.PostAsync($"{models}/retrain", null, ct))
            if (start.StatusCode != System.Net.HttpStatusCode.Accepted) throw new CliException($"retrain answered {(int)start.StatusCode}");
        var clock = Stopwatch.StartNew();
        using var finished = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var retrainSeconds = 0.0;
        var poll = Task.Run(async () =>
        {
            while (true)
            {
                await Task.Delay(250, ct);
                using var doc = JsonDocument.Parse(await http.GetStringAsync(models, ct));
                if (!doc.RootElement.GetProperty("retrain").GetProperty("running").GetBoolean()) break;
            }
            retrainSeconds = clock.Elapsed.TotalSeconds;
            await finished.CancelAsync();
        }, ct);
        var load = await PhaseAsync(http, CustomerUrl(customers), int.MaxValue,
            TimeSpan.FromMinutes(5), finished.Token);
        await poll;
        return new RetrainLoadFigures(cores, Math.Round(retrainSeconds, 1), load.Rps, load.P50, load.P99);
    }

    /// <summary>A closed loop of <see cref="Concurrency"/> clients until <paramref name="requests"/> are done, the duration
    /// has passed or <paramref name="until"/> is cancelled.</summary>
    private static async Task<(double Rps, double P50, double P99)> PhaseAsync(HttpClient http, Func<int, string> url, int requests,
        TimeSpan duration, CancellationToken until)
    {
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var done = 0;
        var next = -1;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(until);
        deadline.CancelAfter(duration);
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
                latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                Interlocked.Increment(ref done);
            }
        }, CancellationToken.None)).ToArray();
        await Task.WhenAll(workers);
        var seconds = total.Elapsed.TotalSeconds;
        var sorted = latencies.ToArray();
        Array.Sort(sorted);
        double Pct(double p) => sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)], 2);
        return (Math.Round(done / seconds, 1), Pct(0.5), Pct(0.99));
    }
}
