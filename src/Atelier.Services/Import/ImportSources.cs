namespace Atelier.Services.Import;

/// <summary>The import sources by name, and which file kind a file is (from its header, or .json/.jsonl).</summary>
public static class ImportSources
{
    public static readonly string[] Names = ["hm", "online-retail", "reviews", "hillstrom", "csv"];

    /// <summary>Files of one call are imported in dependency order (H&amp;M: articles, customers, then transactions).</summary>
    public static ImportSource Detect(string source, string path, CsvMapping? mapping)
    {
        var header = FirstLine(path);
        ImportSource Unknown(string what) => throw new ImportFormatException($"{Path.GetFileName(path)}: not {what} (header: {Short(header)})");
        return source switch
        {
            "hm" when header.StartsWith("t_dat,customer_id,article_id", StringComparison.Ordinal) => new HmTransactionsSource(),
            "hm" when header.StartsWith("article_id,product_code", StringComparison.Ordinal) => new HmArticlesSource(),
            "hm" when header.StartsWith("customer_id,FN,Active", StringComparison.Ordinal) => new HmCustomersSource(),
            "hm" => Unknown("an H&M articles, customers or transactions file"),
            "online-retail" when header.StartsWith("InvoiceNo,StockCode,Description", StringComparison.Ordinal) => new OnlineRetailSource(),
            "online-retail" => Unknown("a UCI Online Retail file"),
            "hillstrom" when header.StartsWith("recency,history_segment,history", StringComparison.Ordinal) => new HillstromSource(),
            "hillstrom" => Unknown("the Hillstrom MineThatData file"),
            "reviews" when header.TrimStart().StartsWith('{') => new AmazonReviewsSource(),
            "reviews" when header.StartsWith(",Clothing ID,Age,Title", StringComparison.Ordinal) => new WomensReviewsSource(),
            "reviews" => Unknown("a Women's E-Commerce Clothing Reviews CSV or Amazon reviews JSON-lines file"),
            "csv" when mapping is null => throw new ImportFormatException("the csv source needs --mapping <file.json>"),
            "csv" when mapping.Entity == "orders" => new CsvOrdersSource(mapping, header),
            "csv" => new CsvMappingSource(mapping, header),
            _ => throw new ImportFormatException($"unknown source '{source}' (known: {string.Join(", ", Names)})"),
        };
    }

    /// <summary>Dimension files first so that facts find their references.</summary>
    public static int Order(ImportSource s) => s.Kind switch
    {
        "hm-articles" or "csv-products" => 0,
        "hm-customers" => 1,
        _ => 2,
    };

    private static string FirstLine(string path)
    {
        if (!File.Exists(path)) throw new ImportFormatException($"file not found: {path}");
        using var r = Datasets.DataPaths.OpenText(path);
        return (r.ReadLine() ?? "").TrimStart('\uFEFF');
    }

    private static string Short(string s) => s.Length > 60 ? s[..60] + "…" : s;
}

/// <summary>A file that is not of the expected format (a user error, reported in one line).</summary>
public sealed class ImportFormatException(string message) : Exception(message);
