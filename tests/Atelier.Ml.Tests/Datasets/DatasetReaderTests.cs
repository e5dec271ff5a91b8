using Atelier.Services.Datasets;

namespace Atelier.Ml.Tests.Datasets;

public sealed class DatasetReaderTests
{
    [Fact]
    public void CsvReaderHandlesQuotesEmbeddedNewlinesAndLineNumbers()
    {
        const string text = "a,b,c\n1,\"x, \"\"y\"\"\",3\n2,\"multi\nline\",4\r\n5,,\"open";
        using var csv = new CsvRecordReader(new StringReader(text));
        Assert.True(csv.Read());
        Assert.True(csv.Read());
        Assert.Equal(2, csv.LineNumber);
        Assert.Equal("x, \"y\"", csv.GetString(1));
        Assert.True(csv.Read());
        Assert.Equal(3, csv.LineNumber);
        Assert.Equal("multi\nline", csv.GetString(1));
        Assert.Equal("4", csv.GetString(2));
        Assert.True(csv.Read());
        Assert.Equal(5, csv.LineNumber);
        Assert.Equal("", csv.GetString(1));
        Assert.True(csv.Truncated);
        Assert.False(csv.Read());
    }

    [Fact]
    public void OnlineRetailHasThePublishedRowCounts()
    {
        if (!DataPaths.TryGet(OnlineRetail.Folder, out _)) Assert.Skip("shared/data/uci_online_retail is absent");
        var rows = OnlineRetail.ReadAll().ToList();
        Assert.Equal(541_909, rows.Count);
        Assert.Equal(135_080, rows.Count(r => r.CustomerId is null));
        Assert.Equal(9_288, rows.Count(r => r.IsCancellation));
        Assert.Equal(10_624, rows.Count(r => r.Quantity < 0));
    }

    [Fact]
    public void HmSampleFilesHaveThePublishedRowCounts()
    {
        if (!DataPaths.TryGet(HmData.Folder, out _)) Assert.Skip("shared/data/hm_personalized_fashion is absent");
        Assert.Equal(31_662, HmData.ReadTransactions(HmData.TrainSampleFile).Count());
        Assert.Equal(1_364, HmData.ReadCustomers(HmData.CustomersSampleFile).Count());
        Assert.Equal(105_542, HmData.ReadArticles().Count());
    }
}
