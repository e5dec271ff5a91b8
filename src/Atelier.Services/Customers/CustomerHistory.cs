using Atelier.Services.Datasets;

namespace Atelier.Services.Customers;

/// <summary>One invoice of a customer (clean lines only): timestamp, value, lines, units.</summary>
public readonly record struct CustomerInvoice(DateTime Date, double Amount, int Lines, int Units);

/// <summary>A customer's purchase history from UCI Online Retail, invoices in time order.</summary>
public sealed class CustomerHistory
{
    public required int CustomerId { get; init; }
    public required string Country { get; init; }
    public List<CustomerInvoice> Invoices { get; } = [];
    /// <summary>(date, stock code) of every clean line, to count distinct products before a cut-off.</summary>
    public List<(DateTime Date, string StockCode, bool Seasonal)> Lines { get; } = [];
    /// <summary>Dates of cancellation / return lines (invoice numbers starting with C or negative quantity).</summary>
    public List<DateTime> Cancellations { get; } = [];

    /// <summary>
    /// Groups all rows with a customer id: clean lines (the <see cref="OnlineRetail.ReadClean"/> rule) build invoices,
    /// cancellations are kept as dates only.
    /// </summary>
    public static List<CustomerHistory> FromRows(IEnumerable<OnlineRetailRow> rows)
    {
        var byCustomer = new Dictionary<int, CustomerHistory>();
        var invoices = new Dictionary<(int, string), (DateTime Date, double Amount, int Lines, int Units)>();
        foreach (var row in rows)
        {
            if (row.CustomerId is not { } id) continue;
            if (!byCustomer.TryGetValue(id, out var h))
                byCustomer[id] = h = new CustomerHistory { CustomerId = id, Country = row.Country };
            if (row.IsCancellation || row.Quantity <= 0) { h.Cancellations.Add(row.InvoiceDate); continue; }
            h.Lines.Add((row.InvoiceDate, row.StockCode, row.Description.Contains("CHRISTMAS", StringComparison.OrdinalIgnoreCase)));
            var key = (id, row.InvoiceNo);
            var cur = invoices.TryGetValue(key, out var v) ? v : (row.InvoiceDate, 0.0, 0, 0);
            invoices[key] = (cur.Item1, cur.Item2 + (double)(row.UnitPrice * row.Quantity), cur.Item3 + 1, cur.Item4 + row.Quantity);
        }
        foreach (var ((id, _), v) in invoices) byCustomer[id].Invoices.Add(new CustomerInvoice(v.Date, v.Amount, v.Lines, v.Units));
        var list = byCustomer.Values.Where(h => h.Invoices.Count > 0).OrderBy(h => h.CustomerId).ToList();
        foreach (var h in list) h.Invoices.Sort((a, b) => a.Date.CompareTo(b.Date));
        return list;
    }

    /// <summary>Distinct purchase days strictly before <paramref name="end"/> (and on/after <paramref name="start"/>).</summary>
    public List<DateTime> PurchaseDays(DateTime start, DateTime end) =>
        Invoices.Where(i => i.Date >= start && i.Date < end).Select(i => i.Date.Date).Distinct().ToList();
}
