using Atelier.Ml.Recommenders.Hybrid;
using Npgsql;

namespace Atelier.Services.Recommendations;

/// <summary>
/// Everything the recommenders are trained on, read from PostgreSQL at one moment: the purchase log as indices, the
/// item attributes, and the id maps between database ids and model indices (the ML library only sees indices).
/// </summary>
public sealed class RecsSnapshot
{
    public static readonly DateOnly Epoch = new(2000, 1, 1);

    public required long[] CustomerIds { get; init; }
    public required long[] ArticleIds { get; init; }
    public required string[] ArticleCodes { get; init; }
    public required long[] ProductIds { get; init; }
    public required string[] ProductNames { get; init; }
    public required string[] TypeNames { get; init; }
    public required int[] CategoryIds { get; init; }
    public required decimal[] Prices { get; init; }
    /// <summary>Per article, what the shop shows of it (name, type, group, colour, pattern, garment group, category,
    /// season, description): the text of "similar styles". Null in artifacts of versions before it was kept.</summary>
    public string[]? ItemTexts { get; init; }
    public required InteractionLog Log { get; init; }
    public required ItemCatalog Catalog { get; init; }
    /// <summary>Age band of each customer index (<see cref="Recommendations.CustomerSegments.AgeBand"/>, -1 unknown), or null.</summary>
    public int[]? CustomerSegments { get; init; }
    /// <summary>Day index (days since <see cref="Epoch"/>) of the snapshot; the models' cutoff is the day after.</summary>
    public required int AsOfDay { get; init; }

    private Dictionary<long, int>? _userIndex;
    private Dictionary<long, int>? _itemIndex;

    public int UserIndex(long customerId) =>
        (_userIndex ??= CustomerIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i)).GetValueOrDefault(customerId, -1);

    public int ItemIndex(long articleId) =>
        (_itemIndex ??= ArticleIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i)).GetValueOrDefault(articleId, -1);

    public static int DayOf(DateTime utc) => DateOnly.FromDateTime(utc).DayNumber - Epoch.DayNumber;

    /// <param name="onlyCustomers">Read only these customers' purchases (a training sample, or a test's own store);
    /// null = every customer. The catalogue is always complete.</param>
    public static async Task<RecsSnapshot> LoadAsync(NpgsqlDataSource db, CancellationToken ct, IReadOnlyCollection<long>? onlyCustomers = null)
    {
        // Items: every article (also never-sold ones), with the codes the hybrid and the outfit model use.
        var articleIds = new List<long>();
        var codes = new List<string>();
        var products = new List<long>();
        var names = new List<string>();
        var typeNames = new List<string>();
        var categories = new List<int>();
        var prices = new List<decimal>();
        var typeCode = new List<int>();
        var groupCode = new List<int>();
        var colourCode = new List<int>();
        var texts = new List<string>();
        await using (var cmd = db.CreateCommand("""
            SELECT a.article_id, a.article_code, a.product_id, p.name, pt.name, p.category_id, a.price,
                   pt.product_type_id, pt.product_group_id, coalesce(a.colour_id, -1),
                   concat_ws(' ', p.name, pt.name, pg.name, c.name, ga.name, gg.name, cat.name, p.season, p.description)
            FROM article a JOIN product p USING (product_id) JOIN product_type pt USING (product_type_id)
            JOIN product_group pg ON pg.product_group_id = pt.product_group_id JOIN category cat ON cat.category_id = p.category_id
            LEFT JOIN colour c ON c.colour_id = a.colour_id
            LEFT JOIN graphical_appearance ga ON ga.graphical_appearance_id = a.graphical_appearance_id
            LEFT JOIN garment_group gg ON gg.garment_group_id = p.garment_group_id
            ORDER BY a.article_id
            """))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                articleIds.Add(r.GetInt64(0));
                codes.Add(r.GetString(1));
                products.Add(r.GetInt64(2));
                names.Add(r.GetString(3));
                typeNames.Add(r.GetString(4));
                categories.Add(r.GetInt32(5));
                prices.Add(r.GetDecimal(6));
                typeCode.Add(r.GetInt32(7));
                groupCode.Add(r.GetInt32(8));
                colourCode.Add(r.GetInt32(9));
                texts.Add(r.GetString(10));
            }
        var itemIndex = new Dictionary<long, int>(articleIds.Count);
        for (var i = 0; i < articleIds.Count; i++) itemIndex[articleIds[i]] = i;

        // Purchases (cancelled orders excluded), oldest first; customers get indices in order of appearance.
        var userIndex = new Dictionary<long, int>();
        var customers = new List<long>();
        var users = new List<int>();
        var items = new List<int>();
        var days = new List<int>();
        var paid = new List<float>();
        var maxDay = int.MinValue;
        await using (var cmd = db.CreateCommand(onlyCustomers is null
            ? "SELECT customer_id, article_id, placed_at, unit_price - discount, quantity FROM sales_line ORDER BY placed_at"
            : "SELECT customer_id, article_id, placed_at, unit_price - discount, quantity FROM sales_line WHERE customer_id = ANY($1) ORDER BY placed_at"))
        {
            if (onlyCustomers is not null) cmd.Parameters.AddWithValue(onlyCustomers.ToArray());
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var customer = r.GetInt64(0);
                if (!itemIndex.TryGetValue(r.GetInt64(1), out var item)) continue;
                if (!userIndex.TryGetValue(customer, out var user))
                {
                    user = customers.Count;
                    userIndex[customer] = user;
                    customers.Add(customer);
                }
                var day = DayOf(r.GetDateTime(2));
                maxDay = Math.Max(maxDay, day);
                var qty = Math.Min(r.GetInt32(4), 10);
                for (var q = 0; q < qty; q++)
                {
                    users.Add(user);
                    items.Add(item);
                    days.Add(day);
                    paid.Add((float)r.GetDecimal(3));
                }
            }
        }

        // Age bands for popularity within the customer's segment (-1 when the age is unknown).
        var segments = new int[customers.Count];
        Array.Fill(segments, -1);
        await using (var cmd = db.CreateCommand("SELECT customer_id, age FROM customer WHERE age IS NOT NULL"))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
                if (userIndex.TryGetValue(r.GetInt64(0), out var user)) segments[user] = Recommendations.CustomerSegments.AgeBand(r.GetInt16(1));

        var asOf = maxDay == int.MinValue ? DayOf(DateTime.UtcNow) : Math.Max(maxDay, DayOf(DateTime.UtcNow));
        return new RecsSnapshot
        {
            CustomerIds = customers.ToArray(),
            CustomerSegments = segments,
            ArticleIds = articleIds.ToArray(),
            ArticleCodes = codes.ToArray(),
            ProductIds = products.ToArray(),
            ProductNames = names.ToArray(),
            TypeNames = typeNames.ToArray(),
            CategoryIds = categories.ToArray(),
            Prices = prices.ToArray(),
            ItemTexts = texts.ToArray(),
            Log = new InteractionLog(customers.Count, articleIds.Count, users.ToArray(), items.ToArray(), days.ToArray(), paid.ToArray()),
            Catalog = new ItemCatalog(Dense(products.Select(p => (int)(p % int.MaxValue))), Dense(typeCode), Dense(groupCode), Dense(colourCode)),
            AsOfDay = asOf,
        };
    }

    /// <summary>Maps arbitrary codes to 0..k-1 (the ML library wants small dense codes).</summary>
    private static int[] Dense(IEnumerable<int> codes)
    {
        var map = new Dictionary<int, int>();
        return codes.Select(c => map.TryGetValue(c, out var v) ? v : map[c] = map.Count).ToArray();
    }
}
