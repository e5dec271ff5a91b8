using System.Globalization;
using System.Text;
using Atelier.Services.Datasets;

namespace Atelier.Services.Demo;

/// <summary>
/// Writes a synthetic H&amp;M-format transactions file (t_dat, customer_id, article_id, price, sales_channel_id) for load
/// tests of the importer: real article ids from articles.csv.gz, 64-hex customer ids, rows sorted by day over
/// 2018-09-20..2020-09-22 with weekly seasonality, skewed popularity and repeated units. Deterministic for a seed.
/// </summary>
public static class HmTransactionsFile
{
    public static long Write(string path, long rows, int customers, int seed, IProgress<long>? progress, CancellationToken ct)
    {
        var articles = new List<string>();
        using (var csv = new CsvRecordReader(DataPaths.OpenText(Path.Combine(DataPaths.Require(HmData.Folder), "articles.csv.gz"))))
        {
            csv.Read();
            while (csv.Read()) articles.Add(csv.GetString(0));
        }
        var rng = new Random(seed);
        var ids = new string[customers];
        var bytes = new byte[32];
        for (var i = 0; i < customers; i++)
        {
            rng.NextBytes(bytes);
            ids[i] = Convert.ToHexStringLower(bytes);
        }
        var prices = new double[articles.Count];
        for (var i = 0; i < prices.Length; i++) prices[i] = Math.Round(0.005 + rng.NextDouble() * rng.NextDouble() * 0.2, 6);

        var first = new DateOnly(2018, 9, 20);
        var days = new DateOnly(2020, 9, 22).DayNumber - first.DayNumber + 1;
        var weights = new double[days];
        for (var d = 0; d < days; d++)
        {
            var date = first.AddDays(d);
            weights[d] = (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Friday ? 1.3 : 1.0) * (1 + 0.25 * Math.Sin(2 * Math.PI * date.DayOfYear / 365.0));
        }
        var total = weights.Sum();
        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        w.Write("t_dat,customer_id,article_id,price,sales_channel_id\n");
        long written = 0;
        for (var d = 0; d < days && written < rows; d++)
        {
            ct.ThrowIfCancellationRequested();
            var target = d == days - 1 ? rows : (long)Math.Round(rows * weights.Take(d + 1).Sum() / total);
            var date = first.AddDays(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            while (written < target)
            {
                // Skewed choices: squaring a uniform favours low indices (popular customers and articles).
                var c = ids[(int)(Math.Pow(rng.NextDouble(), 1.5) * customers)];
                var basket = 1 + (int)(-Math.Log(1 - rng.NextDouble()) * 2.5);
                var channel = rng.NextDouble() < 0.7 ? '2' : '1';
                for (var k = 0; k < basket && written < target; k++)
                {
                    var a = (int)(Math.Pow(rng.NextDouble(), 2) * articles.Count);
                    var units = rng.NextDouble() < 0.08 ? 2 : 1;
                    for (var u = 0; u < units && written < target; u++, written++)
                    {
                        w.Write(date); w.Write(','); w.Write(c); w.Write(','); w.Write(articles[a]); w.Write(',');
                        w.Write(prices[a].ToString("0.######", CultureInfo.InvariantCulture)); w.Write(','); w.Write(channel); w.Write('\n');
                    }
                }
            }
            progress?.Report(written);
        }
        return written;
    }
}
