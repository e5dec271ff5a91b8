namespace Atelier.Services.Import;

/// <summary>
/// One batch of an order file, grouped on the client: orders in first-seen order (k = 1, 2, …), their lines in
/// first-seen order (line_no = 1, 2, … within the order), the distinct customers, and the rejected rows. The server
/// then only inserts: no grouping, sorting or text-keyed joins of lines. Memory is one batch (bounded by the batch size).
/// </summary>
public sealed class OrderBatch
{
    internal readonly record struct Order(string Ref, string CustomerRef, DateTime PlacedAtUtc, short Channel, bool Cancelled);

    internal struct Line
    {
        public int K;
        public int LineNo;
        public long ArticleId;
        public int Quantity;
        public double PriceSum;
        public int Rows;
    }

    private readonly Dictionary<string, int> _orders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _orderLookup;
    private readonly HashSet<string> _customers = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _customerLookup;
    private readonly Dictionary<(int K, long Article), int> _lineOf = [];
    private readonly List<int> _linesPerOrder = [];

    internal readonly List<Order> Orders = [];
    internal readonly List<Line> Lines = [];
    internal readonly List<(int Line, string Raw, string Reason)> Rejects = [];

    public OrderBatch()
    {
        _orderLookup = _orders.GetAlternateLookup<ReadOnlySpan<char>>();
        _customerLookup = _customers.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Records read into this batch (valid or not).</summary>
    public long Read { get; internal set; }

    /// <summary>Valid source rows (= read − rejected): the rows the lines stand for plus exact duplicate rows.</summary>
    public long Staged { get; private set; }

    /// <summary>Source rows the lines stand for (what is loaded when every order is new).</summary>
    public long LineRows { get; private set; }

    /// <summary>A valid row that repeats an earlier row of the batch exactly (counted as a duplicate, not loaded).</summary>
    public void Duplicate() => Staged++;

    /// <summary>Articles the batch's source creates (code → placeholder id &lt; 0 used by the lines until
    /// <see cref="ResolveArticles"/>), with the attributes of their first row in the batch.</summary>
    internal readonly Dictionary<string, (long Placeholder, string? Description, decimal Price, bool Service)> NewArticles = new(StringComparer.Ordinal);

    /// <summary>The placeholder id of an article this batch creates (registered on first sight; a later row's
    /// description fills in a missing one, as "the first row with a description" names the product).</summary>
    public long NewArticle(ReadOnlySpan<char> code, ReadOnlySpan<char> description, decimal price, bool service)
    {
        var lookup = NewArticles.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(code, out var a))
        {
            if (a.Description is null && !description.IsEmpty) lookup[code] = a with { Description = new string(description) };
            return a.Placeholder;
        }
        var placeholder = -(NewArticles.Count + 1L);
        NewArticles.Add(new string(code), (placeholder, description.IsEmpty ? null : new string(description), price, service));
        return placeholder;
    }

    /// <summary>Replaces the placeholder ids of the lines by the ids of the created (or already existing) articles.</summary>
    internal void ResolveArticles(IReadOnlyDictionary<long, long> idOfPlaceholder)
    {
        for (var i = 0; i < Lines.Count; i++)
        {
            if (Lines[i].ArticleId >= 0) continue;
            var l = Lines[i];
            l.ArticleId = idOfPlaceholder[l.ArticleId];
            Lines[i] = l;
        }
    }

    /// <summary>Line number of the last record of this batch: the checkpoint once it is committed.</summary>
    public long LastLine { get; internal set; }

    internal IReadOnlyCollection<string> Customers => _customers;

    /// <summary>The order k (1-based) with this external ref; created with the other fields on first sight.</summary>
    public int OrderK(ReadOnlySpan<char> orderRef, ReadOnlySpan<char> customerRef, DateTime placedAtUtc, short channel, bool cancelled)
    {
        if (_orderLookup.TryGetValue(orderRef, out var k)) return k;
        if (!_customerLookup.TryGetValue(customerRef, out var cust))
        {
            cust = new string(customerRef);
            _customers.Add(cust);
        }
        var r = new string(orderRef);
        Orders.Add(new Order(r, cust, placedAtUtc, channel, cancelled));
        _linesPerOrder.Add(0);
        k = Orders.Count;
        _orders.Add(r, k);
        return k;
    }

    /// <summary>One unit of an article in order k: rows of the same article are summed into one line (H&amp;M).</summary>
    public void AddUnit(int k, long articleId, double price)
    {
        Staged++;
        LineRows++;
        if (_lineOf.TryGetValue((k, articleId), out var i))
        {
            var l = Lines[i];
            l.Quantity++;
            l.PriceSum += price;
            l.Rows++;
            Lines[i] = l;
            return;
        }
        _lineOf.Add((k, articleId), Lines.Count);
        var lineNo = ++_linesPerOrder[k - 1];
        Lines.Add(new Line { K = k, LineNo = lineNo, ArticleId = articleId, Quantity = 1, PriceSum = price, Rows = 1 });
    }

    /// <summary>One source row as its own line of order k (a retailer's order export: quantity and price as given).</summary>
    public void AddLine(int k, long articleId, int quantity, decimal unitPrice)
    {
        Staged++;
        LineRows++;
        var lineNo = ++_linesPerOrder[k - 1];
        // The price goes to the server as a double and is rounded to numeric(12, 4) there: round it here first (as a
        // numeric cast does, half away from zero) so that the double carries exactly those four decimals.
        var price = (double)decimal.Round(unitPrice, 4, MidpointRounding.AwayFromZero);
        Lines.Add(new Line { K = k, LineNo = lineNo, ArticleId = articleId, Quantity = quantity, PriceSum = price, Rows = 1 });
    }

    /// <summary>Called by the reader when the batch is complete: lines in (order, line) order, so that the
    /// order_line primary key is filled at its right edge (and the sort runs on the reader's thread).</summary>
    internal void Complete() =>
        Lines.Sort(static (a, b) => a.K != b.K ? a.K.CompareTo(b.K) : a.LineNo.CompareTo(b.LineNo));

    internal void Reject(int line, string raw, string reason) => Rejects.Add((line, raw, reason));
}
