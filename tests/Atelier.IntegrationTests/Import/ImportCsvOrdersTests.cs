using System.Globalization;
using System.Text;
using Atelier.IntegrationTests.Infrastructure;
using Atelier.Services.Import;

namespace Atelier.IntegrationTests.Import;

/// <summary>
/// A retailer's order export through the generic mapping, on the pipelined order path: local times converted in the
/// mapping's zone (also across a DST change), orders that reappear in later batches of an unsorted file get their
/// lines appended in file order, first-row status, prices rounded as numeric(12, 4) rounds, a re-import changes nothing.
/// </summary>
public sealed class ImportCsvOrdersTests(PostgresFixture pg)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Unsorted_order_export_in_a_local_time_zone_imports_exactly_and_reimports_as_duplicates()
    {
        var db = new StoreBuilder(pg.DataSource);
        var skus = await db.ArticleCodesAsync(4);
        // 40 orders, rows interleaved (order i % 40), so with 7-row batches every order spans several batches.
        const int rows = 400;
        var sb = new StringBuilder("Order;Customer;SKU;Qty;Price;Date;Status\n");
        for (var r = 0; r < rows; r++)
        {
            var o = r % 40;
            // Orders 0..19 on 26 Mar 2022 (CET, UTC+1), 20..39 on 28 Mar 2022 (CEST, UTC+2); first row's status counts.
            var date = o < 20 ? "26.03.2022 10:15" : "28.03.2022 10:15";
            var status = o % 10 == 3 && r < 40 ? "cancelled" : "paid";
            sb.Append(CultureInfo.InvariantCulture, $"{db.Tag}-o{o};{db.Tag}-c{o % 7};{skus[r % 4]};{r % 3 + 1};{r % 5}.{r % 7}0005;{date};{status}\n");
        }
        using var files = new ImportTestFiles();
        var path = files.Write("orders-export.csv", sb.ToString());
        var mapping = CsvMapping.Load(files.Write("orders.json", """
            {"entity": "orders", "delimiter": ";", "date_format": "dd.MM.yyyy HH:mm", "time_zone": "Europe/Paris",
             "columns": {"order_ref": "Order", "customer_ref": "Customer", "sku": "SKU", "quantity": "Qty", "unit_price": "Price",
                         "placed_at": "Date", "status": "Status"}}
            """));

        var s = await new Importer(pg.DataSource).ImportAsync("csv", [path], mapping, null, Ct, refreshDerived: false, batchSize: 7);
        Assert.Equal((rows, rows, 0, 0), (s.Read, s.Loaded, s.Quarantined, s.DuplicatesSkipped));
        var f = ("f", (object?)s.Files[0].ImportFileId);

        // Each order's lines are its rows in file order: line n = the order's n-th row.
        var lines = new List<(string Ref, short LineNo, string Sku, int Qty, decimal Price)>();
        await using (var cmd = pg.DataSource.CreateCommand("""
            SELECT o.external_ref, l.line_no, a.article_code, l.quantity, l.unit_price
            FROM order_line l JOIN orders o USING (order_id) JOIN article a USING (article_id)
            WHERE o.import_file_id = $1 ORDER BY 1, 2
            """))
        {
            cmd.Parameters.AddWithValue(s.Files[0].ImportFileId);
            await using var rd = await cmd.ExecuteReaderAsync(Ct);
            while (await rd.ReadAsync(Ct)) lines.Add((rd.GetString(0), rd.GetInt16(1), rd.GetString(2), rd.GetInt32(3), rd.GetDecimal(4)));
        }
        var expected = Enumerable.Range(0, rows).GroupBy(r => r % 40)
            .SelectMany(g => g.Select((r, n) => ($"csv:{db.Tag}-o{g.Key}", (short)(n + 1), skus[r % 4], r % 3 + 1,
                // numeric(12, 4) rounds half away from zero: x.y0005 -> x.y001
                decimal.Round(decimal.Parse($"{r % 5}.{r % 7}0005", CultureInfo.InvariantCulture), 4, MidpointRounding.AwayFromZero))))
            .OrderBy(x => x.Item1, StringComparer.Ordinal).ThenBy(x => x.Item2).ToList();
        Assert.Equal(expected, lines.OrderBy(x => x.Ref, StringComparer.Ordinal).ThenBy(x => x.LineNo).ToList());

        // Wall-clock 10:15 in Paris: 09:15 UTC before the DST change, 08:15 UTC after it.
        Assert.Equal(new DateTime(2022, 3, 26, 9, 15, 0, DateTimeKind.Utc), await db.ScalarAsync<DateTime>(
            "SELECT placed_at FROM orders WHERE external_ref = @r", ("r", $"csv:{db.Tag}-o0")));
        Assert.Equal(new DateTime(2022, 3, 28, 8, 15, 0, DateTimeKind.Utc), await db.ScalarAsync<DateTime>(
            "SELECT placed_at FROM orders WHERE external_ref = @r", ("r", $"csv:{db.Tag}-o25")));
        Assert.Equal(4L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM orders WHERE import_file_id = @f AND status = 'cancelled' AND cancelled_at = placed_at", f));
        Assert.Equal(7L, await db.ScalarAsync<long>(
            "SELECT count(DISTINCT customer_id) FROM orders WHERE import_file_id = @f", f));

        // The same rows in another file (in reverse order): all duplicates of this import's orders, nothing written.
        var all = sb.ToString().TrimEnd('\n').Split('\n');
        var copy = files.Write("orders-export-copy.csv", string.Join('\n', all.Take(1).Concat(all.Skip(1).Reverse())) + "\n");
        var again = await new Importer(pg.DataSource).ImportAsync("csv", [copy], mapping, null, Ct, refreshDerived: false, batchSize: 7);
        Assert.Equal((rows, 0, 0, rows), (again.Read, again.Loaded, again.Quarantined, again.DuplicatesSkipped));
        Assert.Equal(rows, await db.ScalarAsync<long>(
            "SELECT count(*) FROM order_line l JOIN orders o USING (order_id) WHERE o.external_ref LIKE @p", ("p", $"csv:{db.Tag}-o%")));
    }
}
