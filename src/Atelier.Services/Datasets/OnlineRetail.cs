using System.Globalization;

namespace Atelier.Services.Datasets;

/// <summary>One invoice line of UCI Online Retail (Spark-book CSV layout, see the dataset README).</summary>
public readonly record struct OnlineRetailRow(
    string InvoiceNo, string StockCode, string Description, int Quantity, DateTime InvoiceDate,
    decimal UnitPrice, int? CustomerId, string Country)
{
    public bool IsCancellation => InvoiceNo.StartsWith('C');
}

public static class OnlineRetail
{
    public const string Folder = "uci_online_retail";
    public static string DefaultFile => Path.Combine(DataPaths.Require(Folder), "online_retail.csv.gz");

    /// <summary>All 541,909 rows as they are (no cleaning). Throws on a row that does not parse.</summary>
    public static IEnumerable<OnlineRetailRow> ReadAll(string? path = null)
    {
        using var csv = new CsvRecordReader(DataPaths.OpenText(path ?? DefaultFile));
        csv.Read(); // header
        while (csv.Read())
        {
            if (csv.FieldCount == 1 && csv[0].IsEmpty) continue;
            var cust = csv[6];
            yield return new OnlineRetailRow(
                csv.GetString(0),
                csv.GetString(1),
                csv.GetString(2).Trim(),
                int.Parse(csv[3], CultureInfo.InvariantCulture),
                DateTime.ParseExact(csv[4], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                decimal.Parse(csv[5], NumberStyles.Float, CultureInfo.InvariantCulture),
                cust.IsEmpty ? null : (int)double.Parse(cust, CultureInfo.InvariantCulture),
                csv.GetString(7));
        }
    }

    /// <summary>
    /// The cleaning every evaluation uses: customer present, not a cancellation, quantity &gt; 0.
    /// </summary>
    public static IEnumerable<OnlineRetailRow> ReadClean(string? path = null) =>
        ReadAll(path).Where(r => r.CustomerId is not null && !r.IsCancellation && r.Quantity > 0);
}
