using System.Numerics.Tensors;

namespace Atelier.Ml.Recommenders.Hybrid;

/// <summary>Candidate rows of one user: items, their feature vectors (row-major) and the best-ranked source of each.</summary>
public sealed record UserCandidates(int User, int[] Items, float[] Features, CandidateSource[] Sources);

/// <summary>
/// Builds the candidates of every source for a user and the ranker's feature vector for each
/// (source scores and ranks, user-item recency, item popularity and age, price vs the user's usual price,
/// category/product-group affinity, user activity).
/// </summary>
public static class HybridFeatures
{
    public static readonly string[] Names =
    [
        "score_repurchase", "score_item_knn", "score_als", "score_same_product", "score_trending", "score_popularity",
        "rrank_repurchase", "rrank_item_knn", "rrank_als", "rrank_same_product", "rrank_trending", "rrank_popularity",
        "source_count", "user_item_count", "recency_user_bought_item", "days_since_item_sold", "item_age_days",
        "log_item_recent_count", "log_item_previous_count", "price_ratio", "category_affinity", "group_affinity",
        "product_affinity", "user_total", "days_since_user_last_purchase", "user_distinct_items",
        "item_repeat_rate", "log_item_buyers", "user_repeat_ratio", "user_interval_days", "pair_days", "pair_interval_days",
        "pair_days_since_last", "pair_since_over_user_interval", "pair_since_over_pair_interval", "user_product_days",
        "log_pop_rank_1d", "log_pop_rank_7d", "log_pop_rank_30d", "log_item_price", "user_days",
        "score_segment_popularity", "rrank_segment_popularity",
    ];

    public static int Count => Names.Length;

    // Columns of each source's reciprocal rank, by name (the segment source came later, so its columns are at the end).
    private static readonly int[] RankColumns = Enum.GetValues<CandidateSource>()
        .Select(s => Array.IndexOf(Names, s == CandidateSource.SegmentPopularity ? "rrank_segment_popularity" : "rrank_" + SnakeCase(s))).ToArray();
    private static readonly int SegmentScoreColumn = Array.IndexOf(Names, "score_segment_popularity");

    /// <summary>Column of the reciprocal rank of a source.</summary>
    public static int ReciprocalRankColumn(CandidateSource s) => RankColumns[(int)s];

    private static string SnakeCase(CandidateSource s) => s switch
    {
        CandidateSource.ItemKnn => "item_knn",
        CandidateSource.SameProduct => "same_product",
        _ => s.ToString().ToLowerInvariant(),
    };

    private const int NotProposed = int.MaxValue;

    /// <summary>Candidates and features for each user (user -1 or a user without history gets the cold list).</summary>
    /// <param name="segments">Optional segment per row for users the model has none for (e.g. a new customer's age band
    /// read at request time); -1 or null = the model's own.</param>
    public static UserCandidates[] Build(HybridModel m, int[] users, int[]? segments = null)
    {
        if (segments is not null && segments.Length != users.Length) throw new ArgumentException("one segment per user", nameof(segments));
        int SegmentOfRow(int t) => m.SegmentOf(users[t]) is var own && own >= 0 ? own
            : segments is not null && m.SegmentPopularity is { } known && segments[t] >= 0 && segments[t] < known.Segments ? segments[t] : -1;
        int k = m.Options.CandidatesPerSource;
        var warm = users.Where(m.HasHistory).Distinct().ToArray();
        int kRep = m.Options.RepurchaseCandidates > 0 ? m.Options.RepurchaseCandidates : k;
        var rep = m.Repurchase.Recommend(warm, m.Recency, kRep, filterAlreadyLiked: false);
        var knn = m.Knn.Recommend(warm, m.Recency, k, filterAlreadyLiked: true);
        var als = m.Als.Recommend(warm, m.Counts, k, filterAlreadyLiked: true);
        var rowOf = new Dictionary<int, int>(warm.Length);
        for (int r = 0; r < warm.Length; r++) rowOf[warm[r]] = r;
        var trending = m.Trending.RankedItems[..Math.Min(k, m.Trending.RankedItems.Length)].ToArray();
        var popular = m.Popularity.RankedItems[..Math.Min(k, m.Popularity.RankedItems.Length)].ToArray();
        // Popular within each segment present (users without history in one segment share one candidate list).
        var bySegment = new Dictionary<int, int[]>();
        if (m.SegmentPopularity is { } sp)
            foreach (int s in Enumerable.Range(0, users.Length).Select(SegmentOfRow).Where(s => s >= 0).Distinct())
                bySegment[s] = sp.RecommendSegment(s, k).ItemsOf(0).ToArray();
        var cold = new System.Collections.Concurrent.ConcurrentDictionary<int, UserCandidates>();
        var result = new UserCandidates[users.Length];
        Parallel.For(0, users.Length, MlParallel.Options, () => new Dictionary<int, float>(), (t, _, same) =>
        {
            int u = users[t], s = SegmentOfRow(t);
            int[] segmentList = bySegment.GetValueOrDefault(s, []);
            if (!m.HasHistory(u))
            {
                // One list per segment; a racing thread's duplicate is dropped, so all cold users of a segment share one.
                result[t] = cold.TryGetValue(s, out var c) ? c : cold.GetOrAdd(s, BuildOne(m, -1, -1, s, rep, knn, als, trending, popular, segmentList, same));
                return same;
            }
            result[t] = BuildOne(m, u, rowOf[u], s, rep, knn, als, trending, popular, segmentList, same);
            return same;
        }, _ => { });
        return result;
    }

    private static UserCandidates BuildOne(HybridModel m, int u, int row, int segment, RecommendationBatch rep, RecommendationBatch knn,
        RecommendationBatch als, int[] trending, int[] popular, int[] segmentList, Dictionary<int, float> same)
    {
        int k = m.Options.CandidatesPerSource;
        var slot = new Dictionary<int, int>();
        var ranks = new List<int[]>();
        var items = new List<int>();
        void AddList(ReadOnlySpan<int> list, CandidateSource s)
        {
            for (int r = 0; r < list.Length && list[r] >= 0; r++)
            {
                if (!slot.TryGetValue(list[r], out int at))
                {
                    at = items.Count;
                    slot[list[r]] = at;
                    items.Add(list[r]);
                    var init = new int[HybridModel.Sources];
                    Array.Fill(init, NotProposed);
                    ranks.Add(init);
                }
                ranks[at][(int)s] = Math.Min(ranks[at][(int)s], r + 1);
            }
        }
        if (u >= 0)
        {
            AddList(rep.ItemsOf(row), CandidateSource.Repurchase);
            AddList(knn.ItemsOf(row), CandidateSource.ItemKnn);
            AddList(als.ItemsOf(row), CandidateSource.Als);
            m.SameProduct(u, same);
            var sp = same.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Take(k).Select(p => p.Key).ToArray();
            AddList(sp, CandidateSource.SameProduct);
        }
        else same.Clear();
        AddList(trending, CandidateSource.Trending);
        AddList(popular, CandidateSource.Popularity);
        AddList(segmentList, CandidateSource.SegmentPopularity);

        int cols = Count, n = items.Count, f = m.Als.Factors;
        var x = new float[n * cols];
        var sources = new CandidateSource[n];
        var catCounts = new Dictionary<int, int>();
        var groupCounts = new Dictionary<int, int>();
        var productCounts = new Dictionary<int, int>();
        int total = 0, distinct = 0;
        if (u >= 0)
        {
            var own = m.Counts.RowIndices(u);
            var cnt = m.Counts.RowValues(u);
            distinct = own.Length;
            for (int t = 0; t < own.Length; t++)
            {
                int c = (int)cnt[t];
                total += c;
                Inc(catCounts, m.Catalog.Category[own[t]], c);
                Inc(groupCounts, m.Catalog.Group[own[t]], c);
                Inc(productCounts, m.Catalog.Product[own[t]], c);
            }
        }
        for (int c = 0; c < n; c++)
        {
            int i = items[c];
            var fx = x.AsSpan(c * cols, cols);
            var rk = ranks[c];
            int best = 0, sourceCount = 0;
            for (int s = 0; s < HybridModel.Sources; s++)
            {
                if (rk[s] != NotProposed) sourceCount++;
                if (rk[s] < rk[best]) best = s;
            }
            sources[c] = (CandidateSource)best;
            bool warm = u >= 0;
            fx[0] = warm ? m.Recency.Get(u, i) : 0f;
            fx[1] = warm ? m.Knn.ScoreItem(u, m.Recency, i) : 0f;
            fx[2] = warm && u < m.Als.UserCount && i < m.Als.ItemCount
                ? TensorPrimitives.Dot(m.Als.UserFactors.AsSpan(u * f, f), m.Als.ItemFactors.AsSpan(i * f, f)) : 0f;
            fx[3] = same.GetValueOrDefault(i);
            fx[4] = MathF.Log(1 + m.Trending.Scores[i]);
            fx[5] = MathF.Log(1 + m.Popularity.Scores[i]);
            // Reciprocal ranks (0 = not proposed) suit linear and tree rankers alike.
            for (int s = 0; s < HybridModel.Sources; s++) fx[RankColumns[s]] = rk[s] != NotProposed ? 1f / rk[s] : 0f;
            fx[12] = sourceCount;
            int pos = warm ? m.Counts.RowIndices(u).BinarySearch(i) : -1;
            fx[13] = pos >= 0 ? m.Counts.RowValues(u)[pos] : 0f;
            fx[14] = pos >= 0 ? 1f / (1 + m.CutoffDay - m.PairLastDay[m.Counts.IndPtr[u] + pos]) : 0f;
            int cap = m.Options.MaxDaysFeature;
            fx[15] = Math.Min(cap, m.CutoffDay - m.ItemLastDay[i]);
            fx[16] = Math.Min(cap, m.CutoffDay - m.ItemFirstDay[i]);
            fx[17] = MathF.Log(1 + m.ItemRecent[i]);
            fx[18] = MathF.Log(1 + m.ItemPrevious[i]);
            fx[19] = warm && m.UserMeanPrice[u] > 0 && m.ItemMeanPrice[i] > 0 ? m.ItemMeanPrice[i] / m.UserMeanPrice[u] : 1f;
            fx[20] = total > 0 ? catCounts.GetValueOrDefault(m.Catalog.Category[i]) / (float)total : 0f;
            fx[21] = total > 0 ? groupCounts.GetValueOrDefault(m.Catalog.Group[i]) / (float)total : 0f;
            fx[22] = total > 0 ? productCounts.GetValueOrDefault(m.Catalog.Product[i]) / (float)total : 0f;
            fx[23] = total;
            fx[24] = warm ? Math.Min(cap, m.CutoffDay - m.UserLastDay[u]) : cap;
            fx[25] = distinct;
            // Repeat-purchase features: NaN = undefined (no history / fewer than two purchase days). Cold users have
            // nothing to re-buy, and the item's buyer count grows with the length of complete history (H&M), so they get NaN.
            int buyers = m.ItemBuyers[i];
            fx[26] = warm && buyers > 0 ? m.ItemRepeatBuyers[i] / (float)buyers : float.NaN;
            fx[27] = warm ? MathF.Log(1 + buyers) : float.NaN;
            fx[28] = warm ? m.UserRepeatRatio[u] : float.NaN;
            float userInterval = warm ? m.UserInterval(u) : float.NaN;
            fx[29] = userInterval;
            int pairDays = 0;
            float pairInterval = float.NaN, pairSince = float.NaN;
            if (pos >= 0)
            {
                int at = m.Counts.IndPtr[u] + pos;
                pairDays = m.PairDays[at];
                pairSince = m.CutoffDay - m.PairLastDay[at];
                if (pairDays >= 2) pairInterval = (m.PairLastDay[at] - m.PairFirstDay[at]) / (float)(pairDays - 1);
            }
            fx[30] = pairDays;
            fx[31] = pairInterval;
            fx[32] = pairSince;
            fx[33] = userInterval > 0 ? pairSince / userInterval : float.NaN;
            fx[34] = pairInterval > 0 ? pairSince / pairInterval : float.NaN;
            fx[35] = warm ? m.UserProductCounts.GetValueOrDefault(((long)u << 32) | (uint)m.Catalog.Product[i]) : 0f;
            fx[36] = MathF.Log(m.ItemPopularityRank1[i]);
            fx[37] = MathF.Log(m.ItemPopularityRank7[i]);
            fx[38] = MathF.Log(m.ItemPopularityRank30[i]);
            fx[39] = m.ItemMeanPrice[i] > 0 ? MathF.Log(m.ItemMeanPrice[i]) : float.NaN;
            fx[40] = warm ? m.UserDays[u] : 0f;
            fx[SegmentScoreColumn] = segment >= 0 && m.SegmentPopularity is { } segPop ? segPop.ScoreOf(segment, i) : float.NaN;
        }
        return new UserCandidates(u, items.ToArray(), x, sources);
    }

    private static void Inc(Dictionary<int, int> d, int key, int by) => d[key] = d.GetValueOrDefault(key) + by;
}
