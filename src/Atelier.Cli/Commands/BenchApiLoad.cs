using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Atelier.Cli.Commands;

internal sealed record PhaseResult(int Count, double Rps, double P50Ms, double P99Ms, int ServerErrors, int Unexpected);

/// <summary>Closed-loop load: N workers send requests back to back until the request cap or the time limit.</summary>
internal sealed class ApiLoad(HttpClient http, BenchStore store, BenchApiOptions options)
{
    private string[] _tokens = [];
    private int _created;
    private int _rejected;

    public int OrdersCreated => _created;
    public int OrdersRejected => _rejected;

    public async Task LoginAsync(CancellationToken ct)
    {
        var tokens = new string[store.Emails.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            using var r = await http.PostAsJsonAsync("/api/accounts/login", new { email = store.Emails[i], password = BenchStore.Password }, ct);
            if (!r.IsSuccessStatusCode) throw new CliException($"bench login failed: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync(ct)}");
            using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync(ct));
            tokens[i] = doc.RootElement.GetProperty("accessToken").GetString()!;
        }
        _tokens = tokens;
    }

    public async Task<PhaseResult> RunAsync(string name, Func<int, Random, CancellationToken, Task<HttpStatusCode>> send, CancellationToken ct)
    {
        var latencies = new List<double>[options.Concurrency];
        var next = -1;
        var serverErrors = 0;
        var unexpected = 0;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.Duration);
        var total = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, options.Concurrency).Select(w => Task.Run(async () =>
        {
            var rng = new Random(1000 * w + name.Length);
            var mine = latencies[w] = new List<double>();
            int i;
            while ((i = Interlocked.Increment(ref next)) < options.Requests && !deadline.IsCancellationRequested)
            {
                var t = Stopwatch.GetTimestamp();
                try
                {
                    var status = await send(i, rng, deadline.Token);
                    mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    if ((int)status >= 500) Interlocked.Increment(ref serverErrors);
                    else if ((int)status >= 400 && status != HttpStatusCode.Conflict) Interlocked.Increment(ref unexpected);
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested) { break; }
                catch (HttpRequestException) { Interlocked.Increment(ref serverErrors); }
            }
        }, ct)).ToArray();
        await Task.WhenAll(workers);
        var elapsed = total.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).OrderBy(x => x).ToArray();
        double Pct(double p) => all.Length == 0 ? 0 : Math.Round(all[Math.Min(all.Length - 1, (int)Math.Ceiling(p * all.Length) - 1)], 2);
        return new PhaseResult(all.Length, Math.Round(all.Length / elapsed, 1), Pct(0.50), Pct(0.99), serverErrors, unexpected);
    }

    private static readonly string[] Sorts = ["", "price_asc", "price_desc", "newest"];
    // Words of the generated catalogue (adjectives and garment types) plus a few that match nothing.
    private static readonly string[] Adjectives = ["relaxed", "slim", "oversized", "ribbed", "linen", "cotton", "wool", "cropped", "pleated", "tailored", "knitted", "velvet"];
    private static readonly string[] Garments = ["dress", "shirt", "jeans", "coat", "sweater", "skirt", "trousers", "jacket", "top", "bag"];

    public async Task<HttpStatusCode> SearchAsync(int i, Random rng, CancellationToken ct)
    {
        var words = Adjectives[rng.Next(Adjectives.Length)];
        if (rng.Next(2) == 0) words += " " + Garments[rng.Next(Garments.Length)];
        var url = $"/api/products?q={Uri.EscapeDataString(words)}&limit=24";
        if (rng.Next(3) == 0) url += "&inStock=true";
        if (rng.Next(3) == 0) url += $"&maxPrice={20 + rng.Next(80)}";
        var sort = Sorts[rng.Next(Sorts.Length)];
        if (sort.Length > 0) url += $"&sort={sort}";
        using var r = await http.GetAsync(url, HttpCompletionOption.ResponseContentRead, ct);
        return r.StatusCode;
    }

    /// <summary>The server-rendered shop page: the front page or a search on it (anonymous, like most shoppers).</summary>
    public async Task<HttpStatusCode> ShopPageAsync(int i, Random rng, CancellationToken ct)
    {
        var url = rng.Next(3) == 0 ? "/" : "/?q=" + Uri.EscapeDataString(Adjectives[rng.Next(Adjectives.Length)] + " " + Garments[rng.Next(Garments.Length)]);
        using var r = await http.GetAsync(url, HttpCompletionOption.ResponseContentRead, ct);
        return r.StatusCode;
    }

    public async Task<HttpStatusCode> DetailAsync(int i, Random rng, CancellationToken ct)
    {
        using var r = await http.GetAsync($"/api/products/{store.ProductIds[rng.Next(store.ProductIds.Length)]}", ct);
        return r.StatusCode;
    }

    public async Task<HttpStatusCode> OrderAsync(int i, Random rng, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = JsonContent.Create(new { items = new[] { new { articleId = store.HotArticles[rng.Next(store.HotArticles.Length)], quantity = 1 } } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens[i % _tokens.Length]);
        request.Headers.Add("Idempotency-Key", $"bench-{i}");
        using var r = await http.SendAsync(request, ct);
        if (r.StatusCode == HttpStatusCode.Created) Interlocked.Increment(ref _created);
        else if (r.StatusCode == HttpStatusCode.Conflict) Interlocked.Increment(ref _rejected);
        return r.StatusCode;
    }
}
