using Atelier.IntegrationTests.Infrastructure;
using Atelier.Services.Datasets;
using Atelier.Services.Import;

namespace Atelier.IntegrationTests.Import;

/// <summary>
/// The five formats on the real files in ../shared/data, with exact counts. Expected quarantine counts are computed
/// independently from the file by a naive scan where the rule is simple enough to restate.
/// </summary>
public sealed class ImportRealDataTests(PostgresFixture pg)
{
    private static string Data(string folder, string file) =>
        DataPaths.TryGet(folder, out var dir) ? Path.Combine(dir, file) : "";

    private static void RequireData(string path)
    {
        if (path.Length == 0 || !File.Exists(path)) Assert.Skip("../shared/data is not available");
    }

    [Fact]
    public async Task OnlineRetail_imports_with_exact_counts_and_a_second_import_changes_nothing()
    {
        var file = Data("uci_online_retail", "online_retail.csv.gz");
        RequireData(file);
        long negPrice = 0, negQty = 0, rows = 0;
        foreach (var r in OnlineRetail.ReadAll())
        {
            rows++;
            if (r.UnitPrice < 0) negPrice++;
            else if (r.Quantity < 0 && !r.InvoiceNo.StartsWith('C')) negQty++;
        }
        var s = await new Importer(pg.DataSource).ImportAsync("online-retail", [file], null, null, TestContext.Current.CancellationToken, refreshDerived: false);
        Assert.Equal(541_909, rows);
        Assert.Equal(541_909, s.Read);
        Assert.Equal(negPrice + negQty, s.Quarantined);
        Assert.Equal(1_338, s.Quarantined);
        Assert.Equal(5_268, s.DuplicatesSkipped); // exact duplicate rows inside an invoice
        Assert.Equal(s.Read - s.Quarantined - s.DuplicatesSkipped, s.Loaded);
        var db = new StoreBuilder(pg.DataSource);
        var f = ("f", (object?)s.Files[0].ImportFileId);
        Assert.Equal(s.Loaded, await db.ScalarAsync<long>("SELECT count(*) FROM order_line l JOIN orders o USING (order_id) WHERE o.import_file_id = @f", f));
        var orders = await db.ScalarAsync<long>("SELECT count(*) FROM orders WHERE import_file_id = @f", f);
        // Naive reference: one order per distinct InvoiceNo among the rows that were not quarantined; C… = cancelled.
        var invoices = OnlineRetail.ReadAll().Where(r => r.UnitPrice >= 0 && (r.Quantity > 0 || r.IsCancellation)).Select(r => r.InvoiceNo).ToHashSet();
        Assert.Equal(invoices.Count, orders);
        Assert.Equal(invoices.Count(i => i.StartsWith('C')),
            await db.ScalarAsync<long>("SELECT count(*) FROM orders WHERE import_file_id = @f AND status = 'cancelled'", f));

        var again = await new Importer(pg.DataSource).ImportAsync("online-retail", [file], null, null, TestContext.Current.CancellationToken, refreshDerived: false);
        Assert.Equal(541_909, again.Read);
        Assert.Equal(0, again.Loaded);
        Assert.Equal(541_909, again.DuplicatesSkipped);
        Assert.True(again.Files[0].AlreadyImported);
        Assert.Equal(orders, await db.ScalarAsync<long>("SELECT count(*) FROM orders WHERE import_file_id = @f", f));
    }

    [Fact]
    public async Task Hillstrom_becomes_a_campaign_with_the_published_arm_sizes()
    {
        var file = Data("hillstrom_email_uplift", "Kevin_Hillstrom_MineThatData_E-MailAnalytics_DataMiningChallenge_2008.03.20.csv");
        RequireData(file);
        var s = await new Importer(pg.DataSource).ImportAsync("hillstrom", [file], null, null, TestContext.Current.CancellationToken, refreshDerived: false);
        Assert.Equal((64_000, 64_000, 0, 0), (s.Read, s.Loaded, s.Quarantined, s.DuplicatesSkipped));
        var db = new StoreBuilder(pg.DataSource);
        const string arms = """
            SELECT string_agg(a.arm || '=' || n, ',' ORDER BY a.arm) FROM (
              SELECT a.arm, count(*) AS n FROM campaign_assignment a JOIN campaign c USING (campaign_id)
              WHERE c.name = 'Hillstrom e-mail test 2008' GROUP BY a.arm) a
            """;
        Assert.Equal("control=21306,mens=21307,womens=21387", await db.ScalarAsync<string>(arms));
        // Hillstrom's published visit rate of the Mens arm: 18.28 %.
        var visit = await db.ScalarAsync<double>("""
            SELECT avg(o.visited::int)::float8 FROM campaign_outcome o JOIN campaign_assignment a USING (campaign_id, customer_id)
            JOIN campaign c USING (campaign_id) WHERE c.name = 'Hillstrom e-mail test 2008' AND a.arm = 'mens'
            """);
        Assert.Equal(0.1828, visit, 3);
    }

    [Fact]
    public async Task Reviews_import_both_formats_and_skip_the_exact_duplicate_amazon_lines()
    {
        var womens = Data("womens_ecommerce_clothing_reviews", "Womens Clothing E-Commerce Reviews.csv");
        var amazon = Data("amazon_fashion_reviews", "AMAZON_FASHION_5.json");
        RequireData(womens);
        RequireData(amazon);
        
        var s = await new Importer(pg.DataSource).ImportAsync("reviews", [womens, amazon], null, null, TestContext.Current.CancellationToken, refreshDerived: false);
        var w = s.Files.Single(f => f.Kind == "reviews-womens-ecommerce");
        var a = s.Files.Single(f => f.Kind == "reviews-amazon");
        Assert.Equal((23_486, 23_486, 0, 0), (w.Read, w.Loaded, w.Quarantined, w.DuplicatesSkipped));
        Assert.Equal((3_176, 3_108, 0, 68), (a.Read, a.Loaded, a.Quarantined, a.DuplicatesSkipped)); // 68 exact duplicate lines (README)
        var db = new StoreBuilder(pg.DataSource);
        Assert.Equal(1_206, await db.ScalarAsync<long>("SELECT count(DISTINCT product_id) FROM review WHERE source = 'womens-ecommerce'"));
        Assert.Equal(13_131, await db.ScalarAsync<long>("SELECT count(*) FROM review WHERE source = 'womens-ecommerce' AND rating = 5"));
    }

    [Fact]
    public async Task Hm_sample_imports_articles_customers_and_transactions_grouped_into_orders()
    {
        var dir = DataPaths.TryGet(HmData.Folder, out var d) ? d : "";
        RequireData(dir.Length == 0 ? "" : Path.Combine(dir, "articles.csv.gz"));
        var tx = Path.Combine(dir, "transactions_train_sample.csv");
        var s = await new Importer(pg.DataSource).ImportAsync("hm",
            [tx, Path.Combine(dir, "customers_sample.csv"), Path.Combine(dir, "articles.csv.gz")], null, null,
            TestContext.Current.CancellationToken, refreshDerived: false);
        Assert.Equal(["hm-articles", "hm-customers", "hm-transactions"], s.Files.Select(f => f.Kind));
        Assert.Equal((105_542, 105_542, 0, 0), (s.Files[0].Read, s.Files[0].Loaded, s.Files[0].Quarantined, s.Files[0].DuplicatesSkipped));
        Assert.Equal((1_364, 1_364, 0, 0), (s.Files[1].Read, s.Files[1].Loaded, s.Files[1].Quarantined, s.Files[1].DuplicatesSkipped));
        Assert.Equal((31_662, 31_662, 0, 0), (s.Files[2].Read, s.Files[2].Loaded, s.Files[2].Quarantined, s.Files[2].DuplicatesSkipped));

        // Naive reference: orders = distinct (customer, day, channel); units = rows.
        var groups = HmData.ReadTransactions(tx).Select(t => (t.CustomerId, t.Date, t.Channel)).Distinct().Count();
        var db = new StoreBuilder(pg.DataSource);
        Assert.Equal(groups, await db.ScalarAsync<long>("SELECT count(*) FROM orders WHERE import_file_id = @f", ("f", s.Files[2].ImportFileId)));
        Assert.Equal(31_662, await db.ScalarAsync<long>(
            "SELECT sum(l.quantity) FROM order_line l JOIN orders o USING (order_id) WHERE o.import_file_id = @f", ("f", s.Files[2].ImportFileId)));
        Assert.Equal("0108775", await db.ScalarAsync<string>(
            "SELECT p.product_code FROM article a JOIN product p USING (product_id) WHERE a.article_code = '0108775015'"));
    }
}
