using Atelier.Services.Customers;
using Atelier.Services.Datasets;

namespace Atelier.Ml.Tests.Customers;

public sealed class CustomerDataPrepTests
{
    private static OnlineRetailRow Row(string inv, int cust, DateTime d, int qty = 1, decimal price = 10m) =>
        new(inv, "A1", "MUG", qty, d, price, cust, "United Kingdom");

    [Fact]
    public void HistoriesSummariesAndChurnLabelsByHand()
    {
        var cutoff = new DateTime(2011, 9, 9);
        var rows = new List<OnlineRetailRow>
        {
            // customer 1: buys 2011-01-01 (two lines), 2011-03-02, 2011-08-30, and after the cut-off → not churned
            Row("1", 1, new(2011, 1, 1, 10, 0, 0)), Row("1", 1, new(2011, 1, 1, 10, 0, 0), qty: 2),
            Row("2", 1, new(2011, 3, 2)), Row("3", 1, new(2011, 8, 30)), Row("4", 1, new(2011, 10, 1)),
            Row("C5", 1, new(2011, 3, 3), qty: -1),
            // customer 2: single purchase, nothing after → churned
            Row("6", 2, new(2011, 5, 1)),
            // customer 3: first purchase after the cut-off → not eligible
            Row("7", 3, new(2011, 10, 5)),
        };
        var hist = CustomerHistory.FromRows(rows);
        Assert.Equal(3, hist.Count);
        Assert.Equal(30.0, hist[0].Invoices[0].Amount); // 10 + 2×10
        var s = ClvData.Summary(hist[0], cutoff);
        Assert.Equal(2, s.X); // repeat days 03-02 and 08-30
        Assert.Equal((new DateTime(2011, 8, 30) - new DateTime(2011, 1, 1)).TotalDays, s.Tx);
        Assert.Equal((cutoff - new DateTime(2011, 1, 1)).TotalDays, s.T);

        var data = ChurnFeatures.Build(hist, cutoff, new DateTime(2011, 12, 10));
        Assert.Equal(2, data.Rows);
        Assert.Equal([1, 2], data.CustomerIds);
        Assert.Equal([0f, 1f], data.Labels);
        var c = data.Cols;
        Assert.Equal(10f, data.Features[0], 3);                      // recency 08-30 → 09-09 at 00:00 = 10 days
        Assert.Equal(1f / 5, data.Features[13], 5);                  // 1 cancellation line of 5 lines before the cut-off
        Assert.True(float.IsNaN(data.Features[c + 6]));              // single purchase: no gap
        Assert.Equal((cutoff - new DateTime(2011, 5, 1)).TotalDays, data.Features[c + 0], 3);
    }
}
