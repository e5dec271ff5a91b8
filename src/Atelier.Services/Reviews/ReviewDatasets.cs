using System.Globalization;
using System.Text.Json;
using Atelier.Services.Datasets;

namespace Atelier.Services.Reviews;

/// <summary>Readers for the review datasets in shared/data (see their READMEs).</summary>
public static class ReviewDatasets
{
    public const string WomensFolder = "womens_ecommerce_clothing_reviews";
    public const string AmazonFolder = "amazon_fashion_reviews";

    /// <summary>
    /// Women's E-Commerce Clothing Reviews: text = Title + " " + Review Text; rows where both are empty are dropped.
    /// </summary>
    public static List<ReviewRecord> ReadWomens()
    {
        var path = Path.Combine(DataPaths.Require(WomensFolder), "Womens Clothing E-Commerce Reviews.csv");
        using var csv = new CsvRecordReader(DataPaths.OpenText(path));
        if (!csv.Read()) throw new InvalidDataException($"{path} is empty");
        int title = -1, body = -1, rating = -1, recommended = -1, clothing = -1;
        for (var i = 0; i < csv.FieldCount; i++)
            switch (csv.GetString(i))
            {
                case "Title": title = i; break;
                case "Review Text": body = i; break;
                case "Rating": rating = i; break;
                case "Recommended IND": recommended = i; break;
                case "Clothing ID": clothing = i; break;
            }
        if (Math.Min(Math.Min(title, body), Math.Min(Math.Min(rating, recommended), clothing)) < 0)
            throw new InvalidDataException($"{path}: unexpected header");
        var rows = new List<ReviewRecord>(23_500);
        while (csv.Read())
        {
            if (csv.FieldCount <= recommended) continue;
            var t = csv[title].Trim();
            var b = csv[body].Trim();
            if (t.IsEmpty && b.IsEmpty) continue;
            var text = t.IsEmpty ? b.ToString() : b.IsEmpty ? t.ToString() : string.Concat(t, " ", b);
            rows.Add(new ReviewRecord(
                int.Parse(csv[0], CultureInfo.InvariantCulture), csv.GetString(clothing), text,
                int.Parse(csv[rating], CultureInfo.InvariantCulture), csv[recommended] is "1"));
        }
        return rows;
    }

    /// <summary>
    /// Amazon fashion 5-core reviews (JSON lines): text = summary + " " + reviewText; exact duplicate lines and rows
    /// without any text are dropped. There is no recommend flag, so Recommended is null.
    /// </summary>
    public static List<ReviewRecord> ReadAmazon()
    {
        var path = Path.Combine(DataPaths.Require(AmazonFolder), "AMAZON_FASHION_5.json");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rows = new List<ReviewRecord>(3_200);
        using var reader = DataPaths.OpenText(path);
        var index = -1;
        while (reader.ReadLine() is { } line)
        {
            index++;
            if (line.Length == 0 || !seen.Add(line)) continue;
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var summary = root.TryGetProperty("summary", out var s) ? s.GetString()?.Trim() ?? "" : "";
            var body = root.TryGetProperty("reviewText", out var r) ? r.GetString()?.Trim() ?? "" : "";
            if (summary.Length == 0 && body.Length == 0) continue;
            var text = summary.Length == 0 ? body : body.Length == 0 ? summary : summary + " " + body;
            var rating = (int)Math.Round(root.GetProperty("overall").GetDouble());
            rows.Add(new ReviewRecord(index, root.GetProperty("asin").GetString() ?? "", text, rating, null));
        }
        return rows;
    }
}
