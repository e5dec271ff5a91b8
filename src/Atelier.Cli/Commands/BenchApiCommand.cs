using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Atelier.Data.Hosting;
using Atelier.Data.Migrations;
using Atelier.Services.Accounts;
using Atelier.Services.Demo;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace Atelier.Cli.Commands;

/// <summary>
/// <c>atelier bench api</c>: a throwaway database with a generated store, the web app as a child process on a
/// loopback port, and HttpClient load on search, the shop page, detail and order placement (bounded in requests and time).
/// </summary>
internal static class BenchApiCommand
{
    public static Command Create()
    {
        var customers = new Option<int>("--customers") { Description = "Customers in the generated store.", DefaultValueFactory = _ => 300 };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent clients.", DefaultValueFactory = _ => 16 };
        var requests = new Option<int>("--requests") { Description = "Maximum requests per phase.", DefaultValueFactory = _ => 3000 };
        var seconds = new Option<int>("--seconds") { Description = "Maximum seconds per phase.", DefaultValueFactory = _ => 15 };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON." };
        var cmd = new Command("api", "Load-test the HTTP API and shop page: product search, the server-rendered shop page, product detail, order placement.") { customers, concurrency, requests, seconds, json };
        cmd.SetAction(async (pr, ct) =>
        {
            var o = new BenchApiOptions(pr.GetValue(customers), pr.GetValue(concurrency), pr.GetValue(requests), TimeSpan.FromSeconds(pr.GetValue(seconds)));
            if (o.Customers is < 50 or > 100_000) throw new CliException("--customers must be between 50 and 100,000");
            if (o.Concurrency is < 1 or > 256) throw new CliException("--concurrency must be between 1 and 256");
            if (o.Requests is < 10 or > 1_000_000 || o.Duration <= TimeSpan.Zero || o.Duration > TimeSpan.FromMinutes(10))
                throw new CliException("--requests must be 10..1,000,000 and --seconds 1..600");
            var webDll = Environment.GetEnvironmentVariable("ATELIER_WEB_DLL");
            if (string.IsNullOrEmpty(webDll) || !File.Exists(webDll))
                throw new CliException("the web app is not built: run 'bench api' through the ./atelier launcher");
            var result = await RunAsync(webDll, o, pr.GetValue(json), ct);
            if (pr.GetValue(json)) JsonOutput.Write(result);
            else Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(result, JsonOutput.Options));
            return result.Oversold == 0 && result.ServerErrors == 0 ? 0 : 2;
        });
        return cmd;
    }

    private static async Task<BenchApiResult> RunAsync(string webDll, BenchApiOptions o, bool quiet, CancellationToken ct)
    {
        void Log(string s) { if (!quiet) Console.Error.WriteLine(s); else Console.Error.WriteLine($"bench api: {s}"); }
        await using var db = await ScratchDatabase.CreateAsync("atelier_bench", ct);
        var cs = db.ConnectionString;
        BenchStore store;
        await using (var ds = NpgsqlDataSource.Create(cs))
        {
            await MigrationRunner.MigrateAsync(ds, ct);
            var gen = Stopwatch.StartNew();
            var s = await new DemoStoreGenerator(ds).GenerateAsync(o.Customers, seed: 42, ct);
            Log($"generated store: {s.Products} products, {s.Articles} articles, {s.Orders} orders in {gen.Elapsed.TotalSeconds:F1}s");
            store = await BenchStore.PrepareAsync(ds, users: o.Concurrency * 2, hotArticles: 20, stockEach: 40,
                new PasswordHasher<AccountCredential>(), ct);
        }

        await using var web = ScratchWebApp.Start(cs, o.Concurrency * 2,
            new Dictionary<string, string> { ["Atelier__Api__LoginPermitsPerMinute"] = "100000" });
        var http = web.Client;
        await web.WaitForAsync("/health/ready", TimeSpan.FromSeconds(90), ct);
        Log($"web app ready on port {web.Port}");
        var load = new ApiLoad(http, store, o);
        await load.LoginAsync(ct);
        var search = await load.RunAsync("search", load.SearchAsync, ct);
        Log($"search: {search.Rps:F0} req/s, p99 {search.P99Ms:F1} ms");
        var shop = await load.RunAsync("shop page", load.ShopPageAsync, ct);
        Log($"shop page: {shop.Rps:F0} req/s, p99 {shop.P99Ms:F1} ms");
        var detail = await load.RunAsync("detail", load.DetailAsync, ct);
        Log($"detail: {detail.Rps:F0} req/s, p99 {detail.P99Ms:F1} ms");
        var order = await load.RunAsync("order", load.OrderAsync, ct);
        Log($"order: {order.Rps:F0} req/s, p99 {order.P99Ms:F1} ms ({load.OrdersCreated} created, {load.OrdersRejected} refused for stock)");

        int oversold;
        await using (var ds = NpgsqlDataSource.Create(cs))
            oversold = await store.OversoldAsync(ds, ct);
        return new BenchApiResult(
            Machine: $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}",
            Customers: o.Customers, Concurrency: o.Concurrency,
            SearchRequests: search.Count, SearchRps: search.Rps, SearchP50Ms: search.P50Ms, SearchP99Ms: search.P99Ms,
            ShopPageRequests: shop.Count, ShopPageRps: shop.Rps, ShopPageP50Ms: shop.P50Ms, ShopPageP99Ms: shop.P99Ms,
            DetailRequests: detail.Count, DetailRps: detail.Rps, DetailP50Ms: detail.P50Ms, DetailP99Ms: detail.P99Ms,
            OrderRequests: order.Count, OrderRps: order.Rps, OrderP50Ms: order.P50Ms, OrderP99Ms: order.P99Ms,
            OrdersCreated: load.OrdersCreated, OrdersRefusedOutOfStock: load.OrdersRejected, UnitsAvailable: store.TotalStock,
            Oversold: oversold, ServerErrors: search.ServerErrors + shop.ServerErrors + detail.ServerErrors + order.ServerErrors,
            UnexpectedStatuses: search.Unexpected + shop.Unexpected + detail.Unexpected + order.Unexpected);
    }
}

internal sealed record BenchApiOptions(int Customers, int Concurrency, int Requests, TimeSpan Duration);

internal sealed record BenchApiResult(
    string Machine, int Customers, int Concurrency,
    int SearchRequests, double SearchRps, double SearchP50Ms, double SearchP99Ms,
    int ShopPageRequests, double ShopPageRps, double ShopPageP50Ms, double ShopPageP99Ms,
    int DetailRequests, double DetailRps, double DetailP50Ms, double DetailP99Ms,
    int OrderRequests, double OrderRps, double OrderP50Ms, double OrderP99Ms,
    int OrdersCreated, int OrdersRefusedOutOfStock, int UnitsAvailable, int Oversold, int ServerErrors, int UnexpectedStatuses);
