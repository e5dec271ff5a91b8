using Atelier.Ml.Sparse;

namespace Atelier.Ml.Recommenders.Hybrid;

/// <summary>
/// First stage of the hybrid at one cutoff day: every candidate source fitted on the events before the cutoff,
/// plus the user and item statistics the ranker's features need.
/// </summary>
public sealed class HybridModel
{
    public const int Sources = 7;

    public HybridModel(InteractionLog history, ItemCatalog catalog, int cutoffDay, HybridOptions options, int[]? userSegments = null)
        : this(history, catalog, cutoffDay, options, fitted: null, userSegments)
    {
    }

    /// <summary>The fitted sources of a saved model (see <see cref="Write"/>).</summary>
    private sealed record FittedSources(PopularityRecommender Popularity, TrendingRecommender Trending,
        RepurchaseRecommender Repurchase, ItemKnnRecommender Knn, AlsRecommender Als, SegmentPopularityRecommender? SegmentPopularity);

    private HybridModel(InteractionLog history, ItemCatalog catalog, int cutoffDay, HybridOptions options, FittedSources? fitted,
        int[]? userSegments)
    {
        Options = options;
        Catalog = catalog;
        CutoffDay = cutoffDay;
        History = history;
        int t = options.TrendingDays;
        Counts = history.ToMatrix(_ => 1f);
        Recency = history.ToMatrix(InteractionLog.Decay(cutoffDay, options.RepurchaseHalfLifeDays));
        var recent = history.Window(cutoffDay - t, cutoffDay).ToMatrix(_ => 1f);
        var previous = history.Window(cutoffDay - 2 * t, cutoffDay - t).ToMatrix(_ => 1f);
        if (fitted is null)
        {
            Popularity = new PopularityRecommender();
            var decayed = history.Window(cutoffDay - (int)(8 * options.PopularityHalfLifeDays), cutoffDay)
                .ToMatrix(InteractionLog.Decay(cutoffDay, options.PopularityHalfLifeDays));
            Popularity.Fit(decayed);
            if (userSegments is not null)
            {
                SegmentPopularity = new SegmentPopularityRecommender(userSegments);
                SegmentPopularity.Fit(decayed);
            }
            Trending = new TrendingRecommender();
            Trending.Fit(recent, previous, t, t);
            Repurchase = new RepurchaseRecommender();
            Repurchase.Fit(Recency);
            Knn = new ItemKnnRecommender(ItemSimilarity.Cosine, options.KnnNeighbours);
            Knn.Fit(Counts.MapValues(_ => 1f));
            Als = new AlsRecommender(options.Als);
            Als.Fit(Counts);
        }
        else
        {
            (Popularity, Trending, Repurchase, Knn, Als) = (fitted.Popularity, fitted.Trending, fitted.Repurchase, fitted.Knn, fitted.Als);
            SegmentPopularity = fitted.SegmentPopularity;
            if (Als.ItemCount != history.ItemCount || Knn.ItemCount != history.ItemCount)
                throw new InvalidDataException("saved hybrid sources do not match the saved history");
        }

        int items = history.ItemCount, users = history.UserCount;
        ItemRecent = ColumnSums(recent, items);
        ItemPrevious = ColumnSums(previous, items);
        ItemLastDay = new int[items];
        ItemFirstDay = new int[items];
        Array.Fill(ItemLastDay, int.MinValue / 2);
        Array.Fill(ItemFirstDay, int.MaxValue / 2);
        ItemMeanPrice = new float[items];
        var itemN = new int[items];
        UserLastDay = new int[users];
        Array.Fill(UserLastDay, int.MinValue / 2);
        UserMeanPrice = new float[users];
        var userN = new int[users];
        PairLastDay = new int[Counts.NonZeros];
        PairFirstDay = new int[Counts.NonZeros];
        Array.Fill(PairFirstDay, int.MaxValue / 2);
        PairDays = new int[Counts.NonZeros];
        UserFirstDay = new int[users];
        Array.Fill(UserFirstDay, int.MaxValue / 2);
        UserDays = new int[users];
        var pairDaySeen = new HashSet<long>();
        var userDaySeen = new HashSet<long>();
        for (int k = 0; k < history.Count; k++)
        {
            int u = history.Users[k], i = history.Items[k], d = history.Days[k];
            if (userDaySeen.Add(((long)u << 32) | (uint)d)) UserDays[u]++;
            UserFirstDay[u] = Math.Min(UserFirstDay[u], d);
            ItemLastDay[i] = Math.Max(ItemLastDay[i], d);
            ItemFirstDay[i] = Math.Min(ItemFirstDay[i], d);
            ItemMeanPrice[i] += history.Prices[k];
            itemN[i]++;
            UserLastDay[u] = Math.Max(UserLastDay[u], d);
            UserMeanPrice[u] += history.Prices[k];
            userN[u]++;
            int pos = Counts.IndPtr[u] + Counts.RowIndices(u).BinarySearch(i);
            PairLastDay[pos] = Math.Max(PairLastDay[pos], d);
            PairFirstDay[pos] = Math.Min(PairFirstDay[pos], d);
            if (pairDaySeen.Add(((long)pos << 32) | (uint)d)) PairDays[pos]++;
        }
        // Repeat-purchase statistics (Bhagat et al. 2018, "Buy It Again"): an item's repeat rate = share of its buyers
        // who bought it on two or more days; a user's repeat ratio = share of their items bought on two or more days.
        ItemBuyers = new int[items];
        ItemRepeatBuyers = new int[items];
        UserRepeatRatio = new float[users];
        UserProductCounts = new Dictionary<long, int>();
        for (int u = 0; u < users; u++)
        {
            int start = Counts.IndPtr[u], end = Counts.IndPtr[u + 1], repeats = 0;
            for (int pos = start; pos < end; pos++)
            {
                int i = Counts.Indices[pos];
                ItemBuyers[i]++;
                if (PairDays[pos] >= 2) { ItemRepeatBuyers[i]++; repeats++; }
                long key = ((long)u << 32) | (uint)catalog.Product[i];
                UserProductCounts[key] = UserProductCounts.GetValueOrDefault(key) + PairDays[pos];
            }
            UserRepeatRatio[u] = end > start ? repeats / (float)(end - start) : 0f;
        }
        // Windows capped like the day-count features (H&M: only the last days are complete data).
        int cap = Math.Max(1, options.MaxDaysFeature);
        // One pass over the history counts all three windows.
        int from1 = cutoffDay - Math.Min(1, cap), from7 = cutoffDay - Math.Min(7, cap), from30 = cutoffDay - Math.Min(30, cap);
        var count1 = new int[items]; var count7 = new int[items]; var count30 = new int[items];
        for (int k = 0; k < history.Count; k++)
        {
            int d = history.Days[k], i = history.Items[k];
            if (d >= cutoffDay) continue;
            if (d >= from1) count1[i]++;
            if (d >= from7) count7[i]++;
            if (d >= from30) count30[i]++;
        }
        ItemPopularityRank1 = RankByCount(count1);
        ItemPopularityRank7 = RankByCount(count7);
        ItemPopularityRank30 = RankByCount(count30);
        for (int i = 0; i < items; i++) ItemMeanPrice[i] = itemN[i] > 0 ? ItemMeanPrice[i] / itemN[i] : 0f;
        for (int u = 0; u < users; u++) UserMeanPrice[u] = userN[u] > 0 ? UserMeanPrice[u] / userN[u] : 0f;
        UserTotal = userN;

        // Product → its items by descending popularity, for the same-product source.
        var byProduct = new Dictionary<int, List<int>>();
        foreach (int i in Popularity.RankedItems) (byProduct.TryGetValue(catalog.Product[i], out var l) ? l : byProduct[catalog.Product[i]] = []).Add(i);
        ProductItems = byProduct;
    }

    public HybridOptions Options { get; }
    public ItemCatalog Catalog { get; }
    /// <summary>The events the model was fitted on (the user and pair statistics are derived from them).</summary>
    public InteractionLog History { get; }
    public int CutoffDay { get; }
    public CsrMatrix Counts { get; }
    public CsrMatrix Recency { get; }
    public PopularityRecommender Popularity { get; }
    /// <summary>Popularity within the user's segment, when the model was fitted with user segments.</summary>
    public SegmentPopularityRecommender? SegmentPopularity { get; }
    /// <summary>Segment of each user index (-1 unknown), or null (kept by <see cref="SegmentPopularity"/>).</summary>
    public int[]? UserSegments => SegmentPopularity?.UserSegments;
    public int SegmentOf(int user) => SegmentPopularity?.SegmentOf(user) ?? -1;
    public TrendingRecommender Trending { get; }
    public RepurchaseRecommender Repurchase { get; }
    public ItemKnnRecommender Knn { get; }
    public AlsRecommender Als { get; }
    public float[] ItemRecent { get; }
    public float[] ItemPrevious { get; }
    public int[] ItemLastDay { get; }
    public int[] ItemFirstDay { get; }
    public float[] ItemMeanPrice { get; }
    public int[] UserLastDay { get; }
    public float[] UserMeanPrice { get; }
    public int[] UserTotal { get; }
    public int[] PairLastDay { get; }
    public int[] PairFirstDay { get; }
    /// <summary>Distinct days on which the user bought the item, per nonzero of <see cref="Counts"/>.</summary>
    public int[] PairDays { get; }
    public int[] UserFirstDay { get; }
    /// <summary>Distinct purchase days per user.</summary>
    public int[] UserDays { get; }
    public int[] ItemBuyers { get; }
    public int[] ItemRepeatBuyers { get; }
    public float[] UserRepeatRatio { get; }
    /// <summary>(user &lt;&lt; 32 | product) → purchase days of any variant of the product.</summary>
    public Dictionary<long, int> UserProductCounts { get; }
    /// <summary>1-based popularity rank of each item in the last 1 / 7 / 30 days, at most <see cref="HybridOptions.MaxDaysFeature"/>
    /// (items unsold there share the last rank).</summary>
    public int[] ItemPopularityRank1 { get; }
    public int[] ItemPopularityRank7 { get; }
    public int[] ItemPopularityRank30 { get; }
    public IReadOnlyDictionary<int, List<int>> ProductItems { get; }

    public bool HasHistory(int user) => user >= 0 && user < Counts.Rows && Counts.RowLength(user) > 0;

    /// <summary>Mean days between the user's purchase days (NaN with fewer than two days).</summary>
    public float UserInterval(int user) =>
        UserDays[user] >= 2 ? (UserLastDay[user] - UserFirstDay[user]) / (float)(UserDays[user] - 1) : float.NaN;

    /// <summary>1-based rank by count, ties by item index; unsold items share the rank after the last sold one.</summary>
    private static int[] RankByCount(int[] count)
    {
        int items = count.Length;
        var order = new int[items];
        for (int i = 0; i < items; i++) order[i] = i;
        Array.Sort(order, (a, b) => count[b] != count[a] ? count[b].CompareTo(count[a]) : a.CompareTo(b));
        var rank = new int[items];
        int sold = 0;
        for (int r = 0; r < items; r++)
        {
            if (count[order[r]] > 0) sold = r + 1;
            rank[order[r]] = count[order[r]] > 0 ? r + 1 : sold + 1;
        }
        return rank;
    }

    private static float[] ColumnSums(CsrMatrix m, int items)
    {
        var s = new float[items];
        for (int k = 0; k < m.NonZeros; k++) s[m.Indices[k]] += m.Values[k];
        return s;
    }

    /// <summary>Same-product candidates: other variants of the user's products, weighted by recency of purchase.</summary>
    public void SameProduct(int user, Dictionary<int, float> output)
    {
        output.Clear();
        if (!HasHistory(user)) return;
        var items = Recency.RowIndices(user);
        var vals = Recency.RowValues(user);
        for (int k = 0; k < items.Length; k++)
        {
            if (!ProductItems.TryGetValue(Catalog.Product[items[k]], out var variants)) continue;
            int taken = 0;
            foreach (int j in variants)
            {
                if (j == items[k]) continue;
                float s = vals[k] * (1 + MathF.Log(1 + Popularity.Scores[j]));
                output[j] = Math.Max(output.GetValueOrDefault(j), s);
                if (++taken >= 6) break;
            }
        }
    }

    private const string Tag = "hybrid-model";
    // 2: the segment popularity source, with its user segments (format 1 models have neither and still load).
    // 3: HybridOptions.RecentWindowDays at the end of the options (earlier formats load with 0).
    private const int FormatVersion = 3;

    /// <summary>
    /// Writes the model: options, cutoff, catalogue and history (from which the statistics are recomputed on load,
    /// deterministically) and every fitted source with its own <c>Save</c>, so loading never refits ALS or item-kNN.
    /// </summary>
    public void Write(BinaryWriter w)
    {
        w.Write(Tag);
        w.Write(FormatVersion);
        WriteOptions(w, Options);
        w.Write(Options.RecentWindowDays);
        w.Write(CutoffDay);
        Binary.WriteArray(w, Catalog.Product);
        Binary.WriteArray(w, Catalog.Category);
        Binary.WriteArray(w, Catalog.Group);
        Binary.WriteArray(w, Catalog.Colour);
        w.Write(History.UserCount);
        w.Write(History.ItemCount);
        Binary.WriteArray(w, History.Users);
        Binary.WriteArray(w, History.Items);
        Binary.WriteArray(w, History.Days);
        Binary.WriteArray(w, History.Prices);
        w.Write(SegmentPopularity is not null);
        w.Flush();
        Popularity.Save(w.BaseStream);
        Trending.Save(w.BaseStream);
        Repurchase.Save(w.BaseStream);
        Knn.Save(w.BaseStream);
        Als.Save(w.BaseStream);
        SegmentPopularity?.Save(w.BaseStream);
    }

    public static HybridModel Read(BinaryReader r)
    {
        if (r.ReadString() != Tag) throw new InvalidDataException("not a hybrid model");
        int format = r.ReadInt32();
        if (format is < 1 or > FormatVersion) throw new InvalidDataException($"unsupported hybrid model format {format}");
        var options = ReadOptions(r);
        if (format >= 3) options = options with { RecentWindowDays = r.ReadInt32() };
        int cutoff = r.ReadInt32();
        var catalog = new ItemCatalog(Binary.ReadInts(r), Binary.ReadInts(r), Binary.ReadInts(r), Binary.ReadInts(r));
        int users = r.ReadInt32(), items = r.ReadInt32();
        var history = new InteractionLog(users, items, Binary.ReadInts(r), Binary.ReadInts(r), Binary.ReadInts(r), Binary.ReadFloats(r));
        if (history.Items.Length != history.Count || history.Days.Length != history.Count || history.Prices.Length != history.Count
            || catalog.Count != items)
            throw new InvalidDataException("corrupt hybrid model history");
        bool segments = format >= 2 && r.ReadBoolean();
        var s = r.BaseStream;
        var fitted = new FittedSources(PopularityRecommender.Load<PopularityRecommender>(s), PopularityRecommender.Load<TrendingRecommender>(s),
            RepurchaseRecommender.Load(s), ItemKnnRecommender.Load(s), AlsRecommender.Load(s),
            segments ? SegmentPopularityRecommender.Load(s) : null);
        return new HybridModel(history, catalog, cutoff, options, fitted, userSegments: null);
    }

    internal static void WriteOptions(BinaryWriter w, HybridOptions o)
    {
        w.Write(o.CandidatesPerSource); w.Write(o.RepurchaseCandidates); w.Write(o.PopularityHalfLifeDays);
        w.Write(o.RepurchaseHalfLifeDays); w.Write(o.TrendingDays); w.Write(o.LabelDays); w.Write(o.TrainingWindows);
        w.Write(o.Als.Factors); w.Write(o.Als.Regularization); w.Write(o.Als.Alpha); w.Write(o.Als.Iterations);
        w.Write(o.Als.CgSteps); w.Write(o.Als.Seed);
        w.Write(o.KnnNeighbours); w.Write(o.MaxColdTrainingUsers); w.Write(o.Seed); w.Write(o.MaxDaysFeature);
    }

    internal static HybridOptions ReadOptions(BinaryReader r) => new()
    {
        CandidatesPerSource = r.ReadInt32(), RepurchaseCandidates = r.ReadInt32(), PopularityHalfLifeDays = r.ReadSingle(),
        RepurchaseHalfLifeDays = r.ReadSingle(), TrendingDays = r.ReadInt32(), LabelDays = r.ReadInt32(), TrainingWindows = r.ReadInt32(),
        Als = new AlsOptions(r.ReadInt32(), r.ReadSingle(), r.ReadSingle(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32()),
        KnnNeighbours = r.ReadInt32(), MaxColdTrainingUsers = r.ReadInt32(), Seed = r.ReadInt32(), MaxDaysFeature = r.ReadInt32(),
    };
}
