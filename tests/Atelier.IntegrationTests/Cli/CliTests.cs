using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Atelier.IntegrationTests.Import;
using Atelier.IntegrationTests.Infrastructure;

namespace Atelier.IntegrationTests.Cli;

/// <summary>The CLI at its boundary: exit codes, one readable line per failure, JSON for machines, and kill -9 safety.</summary>
public sealed class CliTests(PostgresFixture pg)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RecsDriftChecksAVersionAndPrintsJson()
    {
        var store = new StoreBuilder(pg.DataSource);
        var articles = await store.ProductArticlesAsync(6, await store.CategoryAsync(), await store.ProductTypeAsync($"Belt{store.Tag}"), "Belt", 25m, stock: 40);
        var customers = new List<long>();
        for (var c = 0; c < 6; c++)
        {
            customers.Add(await store.CustomerAsync());
            await store.HistoricalOrderAsync(customers[^1], DateTime.UtcNow.AddDays(-2 - c), (articles[c], 1, 25m));
        }
        var engine = Atelier.Services.Recommendations.RecsEngine.Train(
            await Atelier.Services.Recommendations.RecsSnapshot.LoadAsync(pg.DataSource, Ct, customers));
        var version = await Atelier.Services.Recommendations.RecsArtifact.RegisterAsync(new Atelier.Services.Models.ModelRegistry(pg.DataSource),
            engine, new Dictionary<string, double> { ["map_at_12"] = 0.3 }, null, Ct);

        var r = await AtelierCli.RunAsync(pg, null, "recs", "drift", "--version", version.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var json = JsonDocument.Parse(r.Stdout);
        Assert.Equal(version, json.RootElement.GetProperty("version").GetInt32());
        Assert.Contains(json.RootElement.GetProperty("status").GetString(), new[] { "ok", "drifting", "not_enough_data" });
        Assert.Contains(json.RootElement.GetProperty("measures").EnumerateArray(), m => m.GetProperty("name").GetString() == "days_since_training");
    }

    [Fact]
    public async Task FailuresAreOneReadableLineWithANonZeroExit()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        var cases = new (string[] Args, string Expected)[]
        {
            (["up", "--urls", $"http://127.0.0.1:{port}"], "already in use"),
            (["up", "--urls", "not-an-address"], "is not an address"),
            (["import", "online-retail", "/nonexistent/online_retail.csv"], "/nonexistent/online_retail.csv"),
            (["import", "no-such-source", "x.csv"], "no-such-source"),
            (["generate", "--customers", "0"], "--customers"),
            (["eval", "recs", "--data", "no-such-data"], "no-such-data"),
            (["eval", "recs", "--seeds", "0"], "--seeds"),
            (["recs", "drift", "--version", "987654321"], "does not exist"),
        };
        foreach (var (args, expected) in cases)
        {
            var r = await AtelierCli.RunAsync(pg, null, args);
            var command = string.Join(' ', args);
            Assert.True(r.ExitCode != 0, $"'{command}' exited 0");
            Assert.True(r.StderrLines.Length == 1, $"'{command}' printed {r.StderrLines.Length} lines on stderr:\n{r.Stderr}");
            Assert.Contains(expected, r.Stderr, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal); // no stack trace
        }
    }

    [Fact]
    public async Task DbStatusSaysInOneLineWhereTheDatabaseIs()
    {
        var r = await AtelierCli.RunAsync(pg, null, "db", "status");
        Assert.Equal(0, r.ExitCode);
        var line = Assert.Single(r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(new Npgsql.NpgsqlConnectionStringBuilder(pg.ConnectionString).Database!, line);
    }

    [Fact]
    public async Task AnImportKilledWithSigkillCompletesOnReRunWithNoDuplicatesAndNoGaps()
    {
        var store = new StoreBuilder(pg.DataSource);
        var articles = await store.ArticleCodesAsync(4);
        using var files = new ImportTestFiles();
        const int rows = 300_000; // three default batches (100,000 rows): a checkpoint is committed well before the end
        // 97 customers on 30 days × 2 channels (≈ 60 orders each): the test database is shared, and customers with a
        // thousand orders would shift other tests' RFM quintiles, many thousand new customers would slow their analyses.
        // On an idle machine the importer can finish its last batches between the poll that sees the first checkpoint
        // and the kill. Then there is nothing left to resume: that attempt proves nothing, so try again with a new file.
        string path = "", name = "";
        for (var attempt = 1; ; attempt++)
        {
            var text = new System.Text.StringBuilder("t_dat,customer_id,article_id,price,sales_channel_id\n");
            var day0 = new DateOnly(2020, 1, 1);
            for (var i = 0; i < rows; i++)
                text.Append(System.Globalization.CultureInfo.InvariantCulture,
                    $"{day0.AddDays(i / 10_000):yyyy-MM-dd},{store.Tag}-{attempt}-k{i % 97},{articles[i % articles.Length]},0.0{i % 7 + 1}25,{i % 2 + 1}\n");
            path = files.Write($"tx-{store.Tag}-{attempt}.csv", text.ToString());
            name = Path.GetFileName(path);

            using (var first = AtelierCli.Start(pg, "import", "hm", path, "--json"))
            {
                var deadline = DateTime.UtcNow.AddMinutes(3);
                long committed = 0;
                while (committed == 0 && !first.HasExited && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(20, Ct);
                    committed = await store.ScalarAsync<long>(
                        "SELECT coalesce(max(committed_line), 0) FROM import_file WHERE file_name = @f AND status = 'running'", ("f", name));
                }
                Assert.True(committed > 0 || first.HasExited, "no batch was committed within 3 minutes");
                if (!first.HasExited) first.Kill(entireProcessTree: true); // SIGKILL: no cleanup, no rollback handler in the process
                await first.WaitForExitAsync(Ct);
            }
            var status = await store.ScalarAsync<string>("SELECT status FROM import_file WHERE file_name = @f", ("f", name));
            if (status == "running") break;
            Assert.True(attempt < 3, $"the import finished before it could be killed in {attempt} attempts: make the file larger");
            TestContext.Current.TestOutputHelper?.WriteLine($"attempt {attempt}: the import finished before the kill; again");
        }

        var r = await AtelierCli.RunAsync(pg, null, "import", "hm", path, "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var json = JsonDocument.Parse(r.Stdout);
        var s = json.RootElement;
        Assert.Equal(rows, s.GetProperty("read").GetInt64());
        Assert.Equal(rows, s.GetProperty("loaded").GetInt64());
        Assert.Equal(0, s.GetProperty("quarantined").GetInt64());
        Assert.Equal(0, s.GetProperty("duplicates_skipped").GetInt64());

        // No duplicates and no gaps: units per (order key, article) equal the file's row counts exactly.
        var fileId = await store.ScalarAsync<long>("SELECT import_file_id FROM import_file WHERE file_name = @f", ("f", name));
        var expected = HmReference.Expected(path);
        var actual = await HmReference.ActualAsync(pg.DataSource, fileId, Ct);
        Assert.Equal(expected.Count, actual.Count);
        foreach (var (key, count) in expected) Assert.Equal(count, actual.GetValueOrDefault(key));
        Assert.Equal(1L, await store.ScalarAsync<long>("SELECT count(*) FROM import_file WHERE file_name = @f", ("f", name)));

        // And a third run of the same file changes nothing.
        var again = await AtelierCli.RunAsync(pg, null, "import", "hm", path, "--json");
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(rows, JsonDocument.Parse(again.Stdout).RootElement.GetProperty("duplicates_skipped").GetInt64());
    }
}
