using Atelier.IntegrationTests.Infrastructure;
using Atelier.Services.Import;

namespace Atelier.IntegrationTests.Import;

/// <summary>Idempotence and resumption: an interrupted import completes on re-run with no duplicates and no gaps.</summary>
public sealed class ImportResumeTests(PostgresFixture pg)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Import_cancelled_mid_batch_resumes_to_the_same_result_as_an_uninterrupted_one()
    {
        var db = new StoreBuilder(pg.DataSource);
        var articles = await db.ArticleCodesAsync(3);
        using var files = new ImportTestFiles();
        const int rows = 6_000;
        var path = files.HmTransactions("tx.csv", db.Tag, articles, rows);

        // First run: cancelled at row 3,072 (progress), which stops at row 3,524 — inside the second batch's COPY.
        using (var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new Importer(pg.DataSource)
                .ImportAsync("hm", [path], null, new CancelAfter(cts, 3_000), cts.Token, refreshDerived: false, batchSize: 2_500));
        var committed = await db.ScalarAsync<long>("SELECT committed_line FROM import_file WHERE file_name = 'tx.csv' AND status = 'running' ORDER BY import_file_id DESC LIMIT 1");
        Assert.Equal(2_501, committed); // the first batch (lines 2..2501) is committed, the second was rolled back

        var s = await new Importer(pg.DataSource).ImportAsync("hm", [path], null, null, Ct, refreshDerived: false, batchSize: 2_500);
        Assert.True(s.Files[0].Resumed);
        Assert.Equal((rows, rows, 0, 0), (s.Read, s.Loaded, s.Quarantined, s.DuplicatesSkipped));

        // Naive reference: every (customer, day, channel, article) group is one line whose quantity is its row count.
        var expected = HmReference.Expected(path);
        var actual = await HmReference.ActualAsync(pg.DataSource, s.Files[0].ImportFileId, Ct);
        Assert.Equal(expected.OrderBy(x => x.Key), actual.OrderBy(x => x.Key));

        // And a third run changes nothing.
        var again = await new Importer(pg.DataSource).ImportAsync("hm", [path], null, null, Ct, refreshDerived: false);
        Assert.Equal((rows, 0, 0, rows), (again.Read, again.Loaded, again.Quarantined, again.DuplicatesSkipped));
    }

    [Fact]
    public async Task Same_rows_in_a_different_file_are_duplicates_and_derived_tables_are_refreshed()
    {
        var db = new StoreBuilder(pg.DataSource);
        var articles = await db.ArticleCodesAsync(2);
        using var files = new ImportTestFiles();
        var first = files.HmTransactions("a.csv", db.Tag, articles, 500);
        var lines = File.ReadAllLines(first);
        var second = files.Write("b.csv", string.Join('\n', lines.Take(301)) + "\n"); // header + 300 rows of the first file
        await new Importer(pg.DataSource).ImportAsync("hm", [first], null, null, Ct, refreshDerived: false);
        var s = await new Importer(pg.DataSource).ImportAsync("hm", [second], null, null, Ct);
        Assert.Equal((300, 0, 0, 300), (s.Read, s.Loaded, s.Quarantined, s.DuplicatesSkipped));

        // Weekly sales of the first article equal a naive sum over the file.
        var units = lines.Skip(1).Count(l => l.Split(',')[2] == articles[0]);
        Assert.Equal(units, await db.ScalarAsync<long>(
            "SELECT sum(w.units) FROM sales_weekly_article w JOIN article a USING (article_id) WHERE a.article_code = @c", ("c", articles[0])));
        Assert.Equal(units, await db.ScalarAsync<long>(
            "SELECT sum(i.purchases) FROM customer_article_interaction i JOIN article a USING (article_id) WHERE a.article_code = @c", ("c", articles[0])));
        Assert.Equal(97, await db.ScalarAsync<long>(
            "SELECT count(*) FROM customer_features f JOIN customer c USING (customer_id) WHERE c.external_ref LIKE @t", ("t", db.Tag + "-c%")));
    }
}
