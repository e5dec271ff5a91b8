using System.Globalization;
using System.Text;
using Atelier.IntegrationTests.Infrastructure;
using Atelier.Services.Import;
using Npgsql;

namespace Atelier.IntegrationTests.Import;

/// <summary>
/// The pipelined, client-grouped order path (H&amp;M transactions): an unsorted file whose orders span many batches
/// (lines appended to this file's earlier orders), cancelled while the next batch is being read, resumes to exactly
/// the naive grouping of the file.
/// </summary>
public sealed class ImportPipelineTests(PostgresFixture pg)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Unsorted_file_cancelled_between_pipelined_batches_resumes_to_the_naive_grouping()
    {
        var db = new StoreBuilder(pg.DataSource);
        var articles = await db.ArticleCodesAsync(3);
        // The day changes on every row, so every batch boundary falls anywhere and each order (customer, day, channel)
        // reappears in many batches: later batches append lines to orders this file created before.
        const int rows = 3_000;
        var sb = new StringBuilder("t_dat,customer_id,article_id,price,sales_channel_id\n");
        for (var i = 0; i < rows; i++)
            sb.Append(CultureInfo.InvariantCulture,
                $"2020-03-0{i % 5 + 1},{db.Tag}-c{i % 13},{articles[i % 3]},0.0{i % 9 + 1}5,{i % 2 + 1}\n");
        using var files = new ImportTestFiles();
        var path = files.Write("unsorted.csv", sb.ToString());

        using (var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new Importer(pg.DataSource)
                .ImportAsync("hm", [path], null, new CancelAfter(cts, 1_200), cts.Token, refreshDerived: false, batchSize: 250));
        var committed = await db.ScalarAsync<long>(
            "SELECT committed_line FROM import_file WHERE file_name = 'unsorted.csv' AND status = 'running' ORDER BY import_file_id DESC LIMIT 1");
        Assert.InRange(committed, 251, rows); // at least the first batch, and never a partial one:
        Assert.Equal(0, (committed - 1) % 250);
        Assert.Equal(committed - 1, await db.ScalarAsync<long>(
            "SELECT rows_loaded FROM import_file WHERE file_name = 'unsorted.csv' ORDER BY import_file_id DESC LIMIT 1"));

        var s = await new Importer(pg.DataSource).ImportAsync("hm", [path], null, null, Ct, refreshDerived: false, batchSize: 250);
        Assert.True(s.Files[0].Resumed);
        Assert.Equal((rows, rows, 0, 0), (s.Read, s.Loaded, s.Quarantined, s.DuplicatesSkipped));

        // Naive reference: units per (order, article) = rows; orders = distinct (customer, day, channel).
        var expected = HmReference.Expected(path);
        var actual = await HmReference.ActualAsync(pg.DataSource, s.Files[0].ImportFileId, Ct);
        Assert.Equal(expected.OrderBy(x => x.Key), actual.OrderBy(x => x.Key));
        var f = ("f", (object?)s.Files[0].ImportFileId);
        Assert.Equal(expected.Keys.Select(k => k[..k.IndexOf('|', StringComparison.Ordinal)]).Distinct().Count(),
            await db.ScalarAsync<long>("SELECT count(*) FROM orders WHERE import_file_id = @f", f));
        // Appended lines continue each order's numbering: 1..n without gaps.
        Assert.Equal(0, await db.ScalarAsync<long>("""
            SELECT count(*) FROM (SELECT l.order_id FROM order_line l JOIN orders o USING (order_id) WHERE o.import_file_id = @f
                                  GROUP BY l.order_id HAVING max(l.line_no) <> count(*) OR min(l.line_no) <> 1) x
            """, f));
        Assert.Equal(rows, await db.ScalarAsync<long>(
            "SELECT sum(l.quantity) FROM order_line l JOIN orders o USING (order_id) WHERE o.import_file_id = @f", f));
    }

    [Fact]
    public async Task A_connection_killed_mid_import_fails_it_cleanly_and_a_rerun_completes_it_exactly()
    {
        var db = new StoreBuilder(pg.DataSource);
        var articles = await db.ArticleCodesAsync(5);
        // A sorted file, 60 days × 500 rows: batches of 500 end at each day change.
        var sb = new StringBuilder("t_dat,customer_id,article_id,price,sales_channel_id\n");
        var day0 = new DateOnly(2019, 1, 1);
        for (var d = 0; d < 60; d++)
            for (var r = 0; r < 500; r++)
                sb.Append(CultureInfo.InvariantCulture, $"{day0.AddDays(d):yyyy-MM-dd},{db.Tag}-k{(d * 7 + r) % 97},{articles[r % 5]},0.0{r % 9 + 1},{r % 2 + 1}\n");
        using var files = new ImportTestFiles();
        var path = files.Write("killed-connection.csv", sb.ToString());

        // The import's own connections carry an application name, so the test can kill one of them.
        var app = $"import-{db.Tag}";
        await using var ds = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(pg.ConnectionString) { ApplicationName = app }.ConnectionString);
        var import = new Importer(ds).ImportAsync("hm", [path], null, null, Ct, refreshDerived: false, batchSize: 500);
        long committed = 0;
        for (var i = 0; i < 600 && committed < 2_000; i++)
        {
            await Task.Delay(25, Ct);
            committed = await db.ScalarAsync<long>(
                "SELECT coalesce(max(committed_line), 0) FROM import_file WHERE file_name = 'killed-connection.csv' AND status = 'running'");
        }
        Assert.False(import.IsCompleted, "the import finished before a connection could be killed: make the file larger");
        // Kill the connection that is not the first one opened (the pipeline's second connection), else any.
        var killed = await db.ScalarAsync<bool>("""
            SELECT coalesce(bool_or(pg_terminate_backend(pid)), false) FROM (
                SELECT pid FROM pg_stat_activity WHERE application_name = @a ORDER BY backend_start DESC LIMIT 1) x
            """, ("a", app));
        Assert.True(killed);
        await Assert.ThrowsAnyAsync<Exception>(() => import);

        // What is committed is a prefix of whole batches, and its counters match it.
        var (line, loaded) = (await db.ScalarAsync<long>("SELECT committed_line FROM import_file WHERE file_name = 'killed-connection.csv'"),
            await db.ScalarAsync<long>("SELECT rows_loaded FROM import_file WHERE file_name = 'killed-connection.csv'"));
        Assert.Equal(0, (line - 1) % 500);
        Assert.Equal(line - 1, loaded);
        Assert.Equal(loaded, await db.ScalarAsync<long>("""
            SELECT coalesce(sum(l.quantity), 0) FROM order_line l JOIN orders o USING (order_id)
            JOIN import_file f ON f.import_file_id = o.import_file_id WHERE f.file_name = 'killed-connection.csv'
            """));

        var s = await new Importer(pg.DataSource).ImportAsync("hm", [path], null, null, Ct, refreshDerived: false, batchSize: 500);
        Assert.True(s.Files[0].Resumed);
        Assert.Equal((30_000L, 30_000L, 0L, 0L), (s.Read, s.Loaded, s.Quarantined, s.DuplicatesSkipped));
        var expected = HmReference.Expected(path);
        var actual = await HmReference.ActualAsync(pg.DataSource, s.Files[0].ImportFileId, Ct);
        Assert.Equal(expected.OrderBy(x => x.Key), actual.OrderBy(x => x.Key));
    }
}
