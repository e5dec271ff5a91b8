using System.Globalization;
using System.Text;

namespace Atelier.IntegrationTests.Import;

/// <summary>Small handmade input files in a per-test temp folder.</summary>
internal sealed class ImportTestFiles : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("atelier-import-").FullName;

    public string Write(string name, string text) => WriteBytes(name, Encoding.UTF8.GetBytes(text));

    public string WriteBytes(string name, byte[] bytes)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>An H&amp;M-format transactions file: rows spread over days, customers and the given article codes.</summary>
    public string HmTransactions(string name, string tag, string[] articles, int rows)
    {
        var sb = new StringBuilder("t_dat,customer_id,article_id,price,sales_channel_id\n");
        var day = new DateOnly(2020, 1, 1);
        for (var i = 0; i < rows; i++)
            sb.Append(CultureInfo.InvariantCulture, $"{day.AddDays(i / 250):yyyy-MM-dd},{tag}-c{i % 97},{articles[i % articles.Length]},0.0{i % 7 + 1}25,{i % 2 + 1}\n");
        return Write(name, sb.ToString());
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Cancels an import once its progress reports <paramref name="rows"/> rows read.</summary>
internal sealed class CancelAfter(CancellationTokenSource cts, long rows) : IProgress<Atelier.Services.Import.ImportProgress>
{
    public void Report(Atelier.Services.Import.ImportProgress value)
    {
        if (value.Rows >= rows) cts.Cancel();
    }
}
