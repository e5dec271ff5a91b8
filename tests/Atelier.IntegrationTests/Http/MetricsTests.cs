using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Atelier.IntegrationTests.Infrastructure;
using Atelier.Services.Hosting;
using Atelier.Services.Orders;
using Microsoft.AspNetCore.Hosting;

namespace Atelier.IntegrationTests.Http;

public sealed partial class MetricsTests(PostgresFixture pg)
{
    [Fact]
    public void TheExporterWritesCountersHistogramsAndGaugesInThePrometheusTextFormat()
    {
        var meterName = $"Atelier.Test.{Guid.NewGuid():N}";
        using var meter = new Meter(meterName);
        using var exporter = new PrometheusExporter([meterName]);
        var orders = meter.CreateCounter<long>("shop.orders", "{order}", "Orders");
        var latency = meter.CreateHistogram<double>("shop.latency", "s", "Latency",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        var active = meter.CreateUpDownCounter<int>("shop.active", "{request}", "Active");
        int queue = 7;
        meter.CreateObservableGauge("shop.queue", () => queue, "{item}", "Queue");

        orders.Add(2, new KeyValuePair<string, object?>("source", "cart"));
        orders.Add(3, new KeyValuePair<string, object?>("source", "cart"));
        orders.Add(1, new KeyValuePair<string, object?>("source", "say \"hi\"\n"));
        latency.Record(0.05);
        latency.Record(0.1);  // a bound belongs to its bucket (le = less or equal)
        latency.Record(0.5);
        latency.Record(3);
        active.Add(3);
        active.Add(-1);

        var text = exporter.Scrape();
        Assert.Equal("""
            # HELP shop_active Active
            # TYPE shop_active gauge
            shop_active 2
            # HELP shop_latency_seconds Latency
            # TYPE shop_latency_seconds histogram
            shop_latency_seconds_bucket{le="0.1"} 2
            shop_latency_seconds_bucket{le="1"} 3
            shop_latency_seconds_bucket{le="+Inf"} 4
            shop_latency_seconds_sum 3.65
            shop_latency_seconds_count 4
            # HELP shop_orders_total Orders
            # TYPE shop_orders_total counter
            shop_orders_total{source="cart"} 5
            shop_orders_total{source="say \"hi\"\n"} 1
            # HELP shop_queue Queue
            # TYPE shop_queue gauge
            shop_queue 7

            """.ReplaceLineEndings("\n"), text);
        queue = 9;
        Assert.Contains("shop_queue 9\n", exporter.Scrape()); // observable: read at each scrape
    }

    [Theory]
    [InlineData("http.server.request.duration", "s", "http_server_request_duration_seconds")]
    [InlineData("dotnet.gc.heap.total_allocated", "By", "dotnet_gc_heap_total_allocated_bytes")]
    [InlineData("atelier.orders.placed", "{order}", "atelier_orders_placed")]
    [InlineData("kestrel.connection.duration", "s", "kestrel_connection_duration_seconds")]
    [InlineData("x.duration_seconds", "s", "x_duration_seconds")]
    public void NamesFollowThePrometheusMappingOfOpenTelemetryNames(string instrument, string unit, string expected) =>
        Assert.Equal(expected, PrometheusExporter.MetricName(instrument, unit));

    [Fact]
    public async Task MetricsNeedTheTokenFromAnotherHostAndCountRequestsOrdersAndRuns()
    {
        var ct = TestContext.Current.CancellationToken;
        using var root = new AtelierWebFactory(pg);
        using var factory = root.WithWebHostBuilder(b => b.UseSetting("Atelier:Metrics:Token", "s3cret-token"));
        using var client = factory.CreateClient();

        // The test server's requests come from no address: like any other host, they need the token.
        var anonymous = await client.GetAsync("/metrics", ct);
        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        Assert.Contains("Atelier:Metrics:Token", await anonymous.Content.ReadAsStringAsync(ct));
        using (var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics"))
        {
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-tokeN");
            Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(wrong, ct)).StatusCode);
        }
        async Task<string> ScrapeAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-token");
            var response = await client.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString());
            return await response.Content.ReadAsStringAsync(ct);
        }
        double Value(string text, string series) =>
            text.Split('\n').Where(l => l.StartsWith(series + " ", StringComparison.Ordinal))
                .Select(l => double.Parse(l[(series.Length + 1)..], CultureInfo.InvariantCulture)).SingleOrDefault();

        var ordersBefore = Value(await ScrapeAsync(), "atelier_orders_placed_total{source=\"items\"}");
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live", ct)).StatusCode);
        var store = new StoreBuilder(pg.DataSource);
        var article = await store.ArticleAsync(await store.ProductAsync(await store.CategoryAsync(), await store.ProductTypeAsync()), 20m, stock: 5);
        var customer = await store.CustomerAsync();
        var user = await store.ScalarAsync<long>("INSERT INTO app_user (email, password_hash, role, customer_id) VALUES (@e, 'x', 'customer', @c) RETURNING user_id",
            ("e", $"metrics-{store.Tag}@example.test"), ("c", customer));
        await new OrderService(pg.DataSource, Microsoft.Extensions.Options.Options.Create(new OrderOptions()))
            .PlaceAsync(user, customer, "metrics-1", [new OrderItem(article, 2)], ct);

        var registry = new Atelier.Services.Models.ModelRegistry(pg.DataSource);
        var model = $"metrics-test-{store.Tag}";
        await registry.FinishRunAsync(await registry.StartRunAsync(model, new { }, null, ct), new Dictionary<string, double>(), null, ct);
        await registry.FinishRunAsync(await registry.StartRunAsync(model, new { }, null, ct), new Dictionary<string, double>(), "boom", ct);

        // The latest drift check of the recommender, one series per measure, plus "drifting".
        Atelier.Services.Hosting.AtelierMeter.SetRecommenderDrift(new Atelier.Services.Recommendations.RecsDriftDto(987_654,
            DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow, 2, 100, 30, 400, "drifting", ["test"],
            [new("product_type_psi", 0.5, 0.25, "test"), new("live_map_at_12", null, 0, null)]));

        var text = await ScrapeAsync();
        Assert.Equal(0.5, Value(text, "atelier_recommendations_drift{measure=\"product_type_psi\",model_version=\"987654\"}"));
        Assert.Equal(1, Value(text, "atelier_recommendations_drift{measure=\"drifting\",model_version=\"987654\"}"));
        Assert.DoesNotContain("measure=\"live_map_at_12\"", text); // no value, no series
        Assert.Equal(1, Value(text, $"atelier_runs_total{{model=\"{model}\",status=\"succeeded\"}}"));
        Assert.Equal(1, Value(text, $"atelier_runs_total{{model=\"{model}\",status=\"failed\"}}"));
        Assert.Equal(1, Value(text, $"atelier_run_duration_seconds_count{{model=\"{model}\",status=\"failed\"}}"));
        Assert.True(Value(text, "atelier_orders_placed_total{source=\"items\"}") >= ordersBefore + 1, text);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram\n", text);
        var live = LiveCount().Match(text);
        Assert.True(live.Success && long.Parse(live.Groups[1].Value, CultureInfo.InvariantCulture) >= 3, "no /health/live requests in:\n" + text);
        Assert.Contains("dotnet_gc_collections_total", text);
        Assert.Matches(@"(?m)^[a-z_][a-z0-9_]*(\{[^}]*\})? \S+$", text); // every sample line: name{labels} value
        Assert.DoesNotMatch(@"(?m)^[^#\n{ ]*\.", text);                 // no dotted names left
    }

    [GeneratedRegex(@"http_server_request_duration_seconds_count\{[^}]*http_route=""/health/live""[^}]*\} (\d+)")]
    private static partial Regex LiveCount();
}
