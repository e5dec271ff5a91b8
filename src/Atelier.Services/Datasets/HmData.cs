using System.Globalization;

namespace Atelier.Services.Datasets;

/// <summary>One H&amp;M transaction (t_dat, customer_id, article_id as the 10-digit string, normalised price, channel).</summary>
public readonly record struct HmTransaction(DateOnly Date, string CustomerId, string ArticleId, double Price, int Channel);

/// <summary>The article attributes of H&amp;M articles.csv that the models use.</summary>
public sealed record HmArticle(
    string ArticleId, string ProductCode, string ProductName, int ProductTypeNo, string ProductTypeName,
    string ProductGroupName, int GraphicalAppearanceNo, string GraphicalAppearanceName, string ColourGroupCode,
    string ColourGroupName, string PerceivedColourValueName, string PerceivedColourMasterName, int DepartmentNo,
    string DepartmentName, string IndexCode, string IndexName, int IndexGroupNo, string IndexGroupName,
    int SectionNo, string SectionName, int GarmentGroupNo, string GarmentGroupName, string DetailDesc);

public sealed record HmCustomer(
    string CustomerId, bool? Fn, bool? Active, string? ClubMemberStatus, string? FashionNewsFrequency, int? Age,
    string PostalCode);

/// <summary>Readers for the real H&amp;M subsets in <c>shared/data/hm_personalized_fashion</c> (see its README).</summary>
public static class HmData
{
    public const string Folder = "hm_personalized_fashion";
    public static string Dir => DataPaths.Require(Folder);
    public static string ArticlesFile => Path.Combine(Dir, "articles.csv.gz");
    public static string TrainSampleFile => Path.Combine(Dir, "transactions_train_sample.csv");
    public static string LastWeekFile => Path.Combine(Dir, "transactions_last_week_2020-09-16_to_22.csv.gz");
    public static string CustomersSampleFile => Path.Combine(Dir, "customers_sample.csv");
    public static string CustomersRecentFile => Path.Combine(Dir, "customers_sample_recent5pct.csv");

    public static IEnumerable<HmTransaction> ReadTransactions(string path)
    {
        using var csv = new CsvRecordReader(DataPaths.OpenText(path));
        csv.Read();
        while (csv.Read())
        {
            if (csv.FieldCount < 5) continue;
            yield return new HmTransaction(
                DateOnly.ParseExact(csv[0], "yyyy-MM-dd", CultureInfo.InvariantCulture),
                csv.GetString(1),
                csv.GetString(2),
                double.Parse(csv[3], CultureInfo.InvariantCulture),
                int.Parse(csv[4], CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// The union of the 2-year sample and the complete last week, without double-counting the sample's rows
    /// inside the last week (they are all contained in it, per the README).
    /// </summary>
    public static IEnumerable<HmTransaction> ReadSampleHistoryPlusLastWeek()
    {
        var lastWeekStart = new DateOnly(2020, 9, 16);
        foreach (var t in ReadTransactions(TrainSampleFile))
            if (t.Date < lastWeekStart) yield return t;
        foreach (var t in ReadTransactions(LastWeekFile)) yield return t;
    }

    public static IEnumerable<HmArticle> ReadArticles(string? path = null)
    {
        using var csv = new CsvRecordReader(DataPaths.OpenText(path ?? ArticlesFile));
        csv.Read();
        while (csv.Read())
        {
            if (csv.FieldCount < 25) continue;
            yield return new HmArticle(
                csv.GetString(0), csv.GetString(1), csv.GetString(2), Int(csv[3]), csv.GetString(4), csv.GetString(5),
                Int(csv[6]), csv.GetString(7), csv.GetString(8), csv.GetString(9), csv.GetString(11), csv.GetString(13),
                Int(csv[14]), csv.GetString(15), csv.GetString(16), csv.GetString(17), Int(csv[18]), csv.GetString(19),
                Int(csv[20]), csv.GetString(21), Int(csv[22]), csv.GetString(23), csv.GetString(24));
        }
    }

    public static IEnumerable<HmCustomer> ReadCustomers(string path)
    {
        using var csv = new CsvRecordReader(DataPaths.OpenText(path));
        csv.Read();
        while (csv.Read())
        {
            if (csv.FieldCount < 7) continue;
            yield return new HmCustomer(
                csv.GetString(0), Flag(csv[1]), Flag(csv[2]), NullIfEmpty(csv[3]), NullIfEmpty(csv[4]),
                csv[5].IsEmpty ? null : (int)double.Parse(csv[5], CultureInfo.InvariantCulture), csv.GetString(6));
        }
    }

    private static int Int(ReadOnlySpan<char> s) => int.Parse(s, CultureInfo.InvariantCulture);
    private static bool? Flag(ReadOnlySpan<char> s) => s.IsEmpty ? null : double.Parse(s, CultureInfo.InvariantCulture) != 0;
    private static string? NullIfEmpty(ReadOnlySpan<char> s) => s.IsEmpty ? null : new string(s);
}
