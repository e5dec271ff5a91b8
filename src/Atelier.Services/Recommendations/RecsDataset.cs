using Atelier.Ml.Recommenders.Hybrid;
using Atelier.Services.Datasets;

namespace Atelier.Services.Recommendations;

/// <summary>
/// A purchase log ready for the recommenders: id↔index maps, the interaction arrays, item attributes and the
/// time split (train strictly before <see cref="TestStartDay"/>, test through <see cref="TestEndDay"/> inclusive).
/// </summary>
public sealed class RecsDataset
{
    public required string Name { get; init; }
    public required InteractionLog Log { get; init; }
    public required ItemCatalog Catalog { get; init; }
    public required string[] UserIds { get; init; }
    public required string[] ItemIds { get; init; }
    /// <summary>Free text per item (names, attributes, description) for the content model.</summary>
    public required string[] ItemTexts { get; init; }
    public required int TestStartDay { get; init; }
    public required int TestEndDay { get; init; }
    public required HybridOptions HybridOptions { get; init; }
    /// <summary>Segment of each user index for per-segment popularity (-1 = unknown), or null when the data has none.</summary>
    public int[]? UserSegments { get; init; }
    /// <summary>What <see cref="UserSegments"/> are ("age band", "country").</summary>
    public string? SegmentKind { get; init; }
    /// <summary>Length of the validation window (0 = the test period's length).</summary>
    public int ValidationDays { get; init; }
    /// <summary>Hybrid settings for the validation split (null = <see cref="HybridOptions"/>).</summary>
    public HybridOptions? ValidationHybridOptions { get; init; }

    public InteractionLog Train => Log.Window(int.MinValue, TestStartDay);
    public InteractionLog Test => Log.Window(TestStartDay, TestEndDay + 1);

    /// <summary>
    /// The same split moved back by the test period's length (or <see cref="ValidationDays"/>), with every event from
    /// the real test period on dropped: a validation window for choosing settings without looking at the test period.
    /// </summary>
    public RecsDataset ValidationSplit()
    {
        int length = ValidationDays > 0 ? ValidationDays : TestEndDay - TestStartDay + 1;
        return new RecsDataset
        {
            Name = Name + "-validation", Log = Log.Window(int.MinValue, TestStartDay), Catalog = Catalog, UserIds = UserIds,
            ItemIds = ItemIds, ItemTexts = ItemTexts, TestStartDay = TestStartDay - length, TestEndDay = TestStartDay - 1,
            HybridOptions = ValidationHybridOptions ?? HybridOptions, UserSegments = UserSegments, SegmentKind = SegmentKind,
        };
    }

    // Only the last days before the cutoff are complete, so popularity and trending look at days, not weeks. The
    // ranker learns from two label windows: the two days before the cutoff, and the last day alone (customers with
    // history only), whose features see one day more of complete history.
    private static readonly HybridOptions HmOptions = new()
    {
        PopularityHalfLifeDays = 2, TrendingDays = 1, LabelDays = 2, RecentWindowDays = 1, RepurchaseHalfLifeDays = 60, MaxDaysFeature = 2,
    };

    /// <summary>H&amp;M: the 0.1% two-year sample plus the complete final week; test = 2020-09-20..22.</summary>
    public static RecsDataset LoadHm()
    {
        var users = new IndexMap();
        var items = new IndexMap();
        var u = new List<int>();
        var i = new List<int>();
        var d = new List<int>();
        var p = new List<float>();
        foreach (var t in HmData.ReadSampleHistoryPlusLastWeek())
        {
            u.Add(users.Get(t.CustomerId));
            i.Add(items.Get(t.ArticleId));
            d.Add(t.Date.DayNumber);
            p.Add((float)t.Price);
        }
        int n = items.Count;
        var product = new int[n];
        var category = new int[n];
        var group = new int[n];
        var colour = new int[n];
        var texts = new string[n];
        var codes = new IndexMap();
        var groups = new IndexMap();
        foreach (var a in HmData.ReadArticles())
        {
            if (!items.TryGet(a.ArticleId, out int k)) continue;
            product[k] = codes.Get(a.ProductCode);
            category[k] = a.ProductTypeNo;
            group[k] = groups.Get(a.ProductGroupName);
            colour[k] = int.TryParse(a.ColourGroupCode, out int c) ? c : 0;
            texts[k] = string.Join(' ', a.ProductName, a.ProductTypeName, a.ProductGroupName, a.GraphicalAppearanceName,
                a.ColourGroupName, a.PerceivedColourMasterName, a.DepartmentName, a.IndexName, a.SectionName,
                a.GarmentGroupName, a.DetailDesc);
        }
        for (int k = 0; k < n; k++) texts[k] ??= "";
        // Ages are known only for the customers of the two published customer samples.
        var segments = new int[users.Count];
        Array.Fill(segments, -1);
        foreach (var file in new[] { HmData.CustomersSampleFile, HmData.CustomersRecentFile })
            foreach (var c in HmData.ReadCustomers(file))
                if (users.TryGet(c.CustomerId, out int k)) segments[k] = CustomerSegments.AgeBand(c.Age);
        return new RecsDataset
        {
            Name = "hm",
            UserSegments = segments,
            SegmentKind = "age band",
            Log = new InteractionLog(users.Count, n, u.ToArray(), i.ToArray(), d.ToArray(), p.ToArray()),
            Catalog = new ItemCatalog(product, category, group, colour),
            UserIds = users.Ids,
            ItemIds = items.Ids,
            ItemTexts = texts,
            TestStartDay = new DateOnly(2020, 9, 20).DayNumber,
            TestEndDay = new DateOnly(2020, 9, 22).DayNumber,
            HybridOptions = HmOptions,
            // Complete data starts on 2020-09-16, so a 3-day window moved back would leave the ranker's label windows
            // without complete history before them. Validation = 2020-09-19 alone, with the test run's settings: ranker
            // labels 09-17..18 (features from 09-16) and 09-18 (features from 09-16..17).
            ValidationDays = 1,
        };
    }

    /// <summary>UCI Online Retail (cleaned), item = StockCode; test = 2011-11-09..2011-12-09.</summary>
    public static RecsDataset LoadOnlineRetail()
    {
        var users = new IndexMap();
        var items = new IndexMap();
        var u = new List<int>();
        var i = new List<int>();
        var d = new List<int>();
        var p = new List<float>();
        var descr = new Dictionary<int, string>();
        var countries = new IndexMap();
        var countryOfUser = new List<int>();
        foreach (var r in OnlineRetail.ReadClean())
        {
            int item = items.Get(r.StockCode);
            int user = users.Get(r.CustomerId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (user == countryOfUser.Count) countryOfUser.Add(countries.Get(r.Country)); // the customer's first country
            u.Add(user);
            i.Add(item);
            d.Add(DateOnly.FromDateTime(r.InvoiceDate).DayNumber);
            p.Add((float)r.UnitPrice);
            descr.TryAdd(item, r.Description);
        }
        int n = items.Count;
        var product = new int[n];
        var category = new int[n];
        var texts = new string[n];
        var products = new IndexMap();
        var categories = new IndexMap();
        var itemIds = items.Ids;
        for (int k = 0; k < n; k++)
        {
            // Variants share the numeric stock code (85123A/85123B); the last word of the description is the product type.
            string code = itemIds[k];
            product[k] = products.Get(code.TrimEnd("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".ToCharArray()));
            texts[k] = descr.GetValueOrDefault(k, "");
            var words = texts[k].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            category[k] = categories.Get(words.Length > 0 ? words[^1] : "");
        }
        return new RecsDataset
        {
            Name = "online-retail",
            UserSegments = countryOfUser.ToArray(),
            SegmentKind = "country",
            Log = new InteractionLog(users.Count, n, u.ToArray(), i.ToArray(), d.ToArray(), p.ToArray()),
            Catalog = new ItemCatalog(product, category, category, new int[n]),
            UserIds = users.Ids,
            ItemIds = itemIds,
            ItemTexts = texts,
            TestStartDay = new DateOnly(2011, 11, 9).DayNumber,
            TestEndDay = new DateOnly(2011, 12, 9).DayNumber,
            HybridOptions = new HybridOptions
            {
                PopularityHalfLifeDays = 30, TrendingDays = 30, LabelDays = 30, RepurchaseHalfLifeDays = 90, TrainingWindows = 3,
                RepurchaseCandidates = 48,
            },
        };
    }

    public static RecsDataset Load(string name) => name switch
    {
        "hm" => LoadHm(),
        "online-retail" => LoadOnlineRetail(),
        _ => throw new ArgumentException($"Unknown dataset '{name}' (hm | online-retail).", nameof(name)),
    };

    private sealed class IndexMap
    {
        private readonly Dictionary<string, int> _map = new(StringComparer.Ordinal);
        private readonly List<string> _ids = [];
        public int Count => _ids.Count;
        public string[] Ids => _ids.ToArray();
        public bool TryGet(string id, out int index) => _map.TryGetValue(id, out index);

        public int Get(string id)
        {
            if (_map.TryGetValue(id, out int k)) return k;
            _map[id] = _ids.Count;
            _ids.Add(id);
            return _ids.Count - 1;
        }
    }
}
