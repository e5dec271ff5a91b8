using System.Text;
using Atelier.IntegrationTests.Infrastructure;
using Atelier.Services.Import;

namespace Atelier.IntegrationTests.Import;

/// <summary>Broken inputs: every bad row lands in quarantine with its line, raw text and the right reason.</summary>
public sealed class ImportValidationTests(PostgresFixture pg)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<Dictionary<long, (string Raw, string Reason)>> QuarantineAsync(long fileId)
    {
        var rows = new Dictionary<long, (string, string)>();
        await using var cmd = pg.DataSource.CreateCommand("SELECT line_no, raw_line, reason FROM import_quarantine WHERE import_file_id = @f");
        cmd.Parameters.AddWithValue("f", fileId);
        await using var r = await cmd.ExecuteReaderAsync(Ct);
        while (await r.ReadAsync(Ct)) rows[r.GetInt64(0)] = (r.GetString(1), r.GetString(2));
        return rows;
    }

    [Fact]
    public async Task Broken_online_retail_file_quarantines_each_bad_row_with_its_reason()
    {
        using var files = new ImportTestFiles();
        var inv = Random.Shared.Next(100_000_000, 999_999_999);
        var cust = Random.Shared.Next(1_000_000, 9_999_999);
        var good = $"{inv},85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,{cust}.0,United Kingdom";
        var text = new StringBuilder("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n")
            .Append(good).Append('\n')                                                                        // 2 loaded
            .Append($"{inv},71053,WHITE METAL LANTERN,6,2010-13-45 08:26:00,3.39,{cust}.0,United Kingdom\n")   // 3 bad date
            .Append($"{inv},71054,LANTERN,6,2010-12-01 08:26:00,-3.39,{cust}.0,United Kingdom\n")              // 4 negative price
            .Append(good).Append('\n')                                                                        // 5 duplicate
            .Append($"{inv},71055,CAF# MUG,6,2010-12-01 08:26:00,1.00,{cust}.0,United Kingdom\n")              // 6 wrong encoding
            .Append($"{inv},71056,MUG,-2,2010-12-01 08:26:00,1.00,{cust}.0,United Kingdom\n")                  // 7 negative quantity
            .Append($"{inv},71057,MUG,abc,2010-12-01 08:26:00,1.00,{cust}.0,United Kingdom\n")                 // 8 bad quantity
            .Append($"{inv + 1},71058,\"MUG, BLUE");                                                            // 9 truncated (open quote, no newline)
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        bytes[Array.IndexOf(bytes, (byte)'#')] = 0xC9; // Latin-1 'É' — not valid UTF-8 here
        var path = files.WriteBytes("broken_retail.csv", bytes);

        var s = await new Importer(pg.DataSource).ImportAsync("online-retail", [path], null, null, Ct, refreshDerived: false);
        Assert.Equal((8, 1, 6, 1), (s.Read, s.Loaded, s.Quarantined, s.DuplicatesSkipped));
        var q = await QuarantineAsync(s.Files[0].ImportFileId);
        Assert.Equal("bad InvoiceDate", q[3].Reason);
        Assert.Equal("negative price", q[4].Reason);
        Assert.Equal("invalid UTF-8 byte sequence (wrong encoding?)", q[6].Reason);
        Assert.Equal("negative quantity outside a cancellation", q[7].Reason);
        Assert.Equal("bad Quantity", q[8].Reason);
        Assert.Equal("truncated record: the file ends inside the record", q[9].Reason);
        Assert.Equal($"{inv},71054,LANTERN,6,2010-12-01 08:26:00,-3.39,{cust}.0,United Kingdom", q[4].Raw);
        Assert.Equal(6, q.Count);
    }

    [Fact]
    public async Task Hm_transactions_with_unknown_articles_and_bad_fields_are_quarantined()
    {
        var db = new StoreBuilder(pg.DataSource);
        var product = await db.ProductAsync(await db.CategoryAsync(), await db.ProductTypeAsync());
        var article = await db.ArticleAsync(product, 10m, 5);
        var code = await db.ScalarAsync<string>("SELECT article_code FROM article WHERE article_id = @a", ("a", article));
        using var files = new ImportTestFiles();
        var path = files.Write("tx.csv", $"""
            t_dat,customer_id,article_id,price,sales_channel_id
            2020-01-01,{db.Tag}-a,{code},0.05,2
            2020-01-01,{db.Tag}-a,{code},0.05,2
            2020-01-01,{db.Tag}-a,0000000000,0.05,2
            2020-02-30,{db.Tag}-a,{code},0.05,2
            2020-01-02,{db.Tag}-b,{code},-0.05,1
            2020-01-02,{db.Tag}-b,{code},0.05,3
            2020-01-02,{db.Tag}-b,{code}
            2020-01-03,{db.Tag}-{new string('c', 3000)},{code},0.05,1
            """);
        var s = await new Importer(pg.DataSource).ImportAsync("hm", [path], null, null, Ct, refreshDerived: false);
        Assert.Equal((8, 2, 6, 0), (s.Read, s.Loaded, s.Quarantined, s.DuplicatesSkipped));
        var q = await QuarantineAsync(s.Files[0].ImportFileId);
        // The last one would exceed a B-tree entry (≈ 2.7 kB) and fail its whole batch if it reached the database.
        Assert.Equal(["unknown article_id", "bad date in t_dat", "negative price", "sales_channel_id must be 1 or 2", "expected 5 fields, found 3",
            "customer_id longer than 200 characters"], q.OrderBy(x => x.Key).Select(x => x.Value.Reason));
        // The two identical rows are two units of one line of one order.
        Assert.Equal(2, await db.ScalarAsync<int>(
            "SELECT l.quantity FROM order_line l JOIN orders o USING (order_id) WHERE o.external_ref = @r",
            ("r", $"hm:{db.Tag}-a:2020-01-01:2")));
    }

    [Fact]
    public async Task Generic_csv_mapping_imports_products_then_orders()
    {
        var db = new StoreBuilder(pg.DataSource);
        using var files = new ImportTestFiles();
        var products = files.Write("products.csv", $"""
            SKU;Name;Category;Price
            {db.Tag}-1;Linen shirt;Shirts;29.90
            {db.Tag}-2;Wool coat;Coats;-1
            {db.Tag}-3;Silk scarf;;19.00
            """);
        var orders = files.Write("orders.csv", $"""
            Order,Customer,SKU,Qty,Price,Date
            {db.Tag}-o1,{db.Tag}-ann,{db.Tag}-1,2,29.90,2024-03-01
            {db.Tag}-o1,{db.Tag}-ann,{db.Tag}-3,1,19.00,2024-03-01
            {db.Tag}-o2,{db.Tag}-bob,{db.Tag}-2,1,99.00,2024-03-02
            {db.Tag}-o3,{db.Tag}-bob,{db.Tag}-1,0,29.90,2024-03-02
            """);
        var pm = files.Write("p.json", """{"entity": "products", "delimiter": ";", "columns": {"sku": "SKU", "name": "Name", "category": "Category", "price": "Price"}}""");
        var om = files.Write("o.json", """
            {"entity": "orders", "date_format": "yyyy-MM-dd",
             "columns": {"order_ref": "Order", "customer_ref": "Customer", "sku": "SKU", "quantity": "Qty", "unit_price": "Price", "placed_at": "Date"}}
            """);
        var p = await new Importer(pg.DataSource).ImportAsync("csv", [products], CsvMapping.Load(pm), null, Ct, refreshDerived: false);
        Assert.Equal((3, 2, 1, 0), (p.Read, p.Loaded, p.Quarantined, p.DuplicatesSkipped));
        Assert.Equal("negative price", Assert.Single(p.QuarantineReasons).Reason);
        var o = await new Importer(pg.DataSource).ImportAsync("csv", [orders], CsvMapping.Load(om), null, Ct, refreshDerived: false);
        Assert.Equal((4, 2, 2, 0), (o.Read, o.Loaded, o.Quarantined, o.DuplicatesSkipped));
        Assert.Equal(["quantity must be a positive integer", "unknown article (sku)"], o.QuarantineReasons.Select(r => r.Reason).Order());
        Assert.Equal(2, await db.ScalarAsync<long>("SELECT count(*) FROM order_line l JOIN orders o USING (order_id) WHERE o.external_ref = @r", ("r", $"csv:{db.Tag}-o1")));
    }
}
