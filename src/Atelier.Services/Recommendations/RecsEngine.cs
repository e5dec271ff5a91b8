using System.Collections.Concurrent;
using Atelier.Ml.Recommenders;
using Atelier.Ml.Recommenders.Hybrid;

namespace Atelier.Services.Recommendations;

/// <summary>One recommended article as the API shows it, with the reason in words.</summary>
public sealed record RecommendedArticle(long ArticleId, string ArticleCode, long ProductId, string ProductName, string ProductType,
    decimal Price, float Score, string Reason);

/// <summary>Serving-time choices of the caller.</summary>
public sealed record RecsRequest(int N = 12, bool ExcludePurchased = false, int? CategoryId = null, int MaxPerProduct = 2);

/// <summary>
/// The trained recommenders for one model version, in memory: the two-stage hybrid for customers, session item-kNN
/// for visitors, item-kNN for similar items and the outfit model for complements. Immutable once built, so a
/// server swaps a whole engine atomically.
/// </summary>
public sealed class RecsEngine
{
    private RecsEngine(RecsSnapshot snapshot, HybridRecommender hybrid, SessionRecommender session, OutfitRecommender outfit)
    {
        Snapshot = snapshot;
        Hybrid = hybrid;
        Session = session;
        Outfit = outfit;
        // Deterministic from the articles' texts, so rebuilt rather than stored (0.8 s for the 29,577 H&M articles of `eval similar`).
        Style = snapshot.ItemTexts is { } texts ? new StyleSimilarity(texts, snapshot.Catalog) : null;
    }

    // Memo of each customer's ranked list for this model version (unfiltered, deeper than any default page): the
    // expensive part (candidates, features, ranker) runs once per customer per version; stock and the diversity cap
    // are applied at read time, so the memo never serves a sold-out article.
    private const int MemoDepth = 48;
    private readonly ConcurrentDictionary<int, ExplainedItem[]> _ranked = new();
    private readonly ConcurrentDictionary<int, ItemSet> _categoryItems = new();
    private readonly ConcurrentDictionary<int, SimilarStyle[]> _similar = new();

    public RecsSnapshot Snapshot { get; }
    public HybridRecommender Hybrid { get; }
    public SessionRecommender Session { get; }
    public OutfitRecommender Outfit { get; }
    /// <summary>Similar styles (text + co-purchase within the product group); null for artifacts without item texts.</summary>
    public StyleSimilarity? Style { get; }
    public int ItemCount => Snapshot.ArticleIds.Length;

    public static RecsEngine Train(RecsSnapshot snapshot, HybridOptions? options = null)
    {
        options ??= new HybridOptions { Als = new AlsOptions(Factors: 32, Iterations: 10), MaxColdTrainingUsers = 1000 };
        var hybrid = new HybridRecommender(options, RankerFactory.Create);
        hybrid.Fit(snapshot.Log, snapshot.Catalog, snapshot.AsOfDay + 1, snapshot.CustomerSegments);
        var outfit = new OutfitRecommender(snapshot.Catalog);
        outfit.Fit(snapshot.Log);
        return FromParts(snapshot, hybrid, outfit);
    }

    /// <summary>An engine from fitted models (a loaded artifact); the session model is derived from the hybrid's sources.</summary>
    public static RecsEngine FromParts(RecsSnapshot snapshot, HybridRecommender hybrid, OutfitRecommender outfit)
    {
        var m = hybrid.Model ?? throw new ArgumentException("the hybrid is not fitted", nameof(hybrid));
        if (m.Catalog.Count != snapshot.ArticleIds.Length) throw new InvalidDataException("the hybrid was fitted on another catalogue");
        var session = new SessionRecommender(m.Knn.Neighbours, snapshot.Catalog.Category, m.Trending.RankedItems, m.Trending.Scores);
        return new RecsEngine(snapshot, hybrid, session, outfit);
    }

    /// <summary>
    /// Ranks every known customer (the most recently acquired first, at most <paramref name="maxCustomers"/>) in one
    /// parallel batch and fills the memo, so a newly loaded version serves its first requests as fast as later ones.
    /// </summary>
    public void WarmUp(int maxCustomers = 200_000)
    {
        var count = Math.Min(maxCustomers, Snapshot.CustomerIds.Length);
        var users = Enumerable.Range(Snapshot.CustomerIds.Length - count, count).Append(-1).ToArray();
        var lists = Hybrid.Recommend(users, MemoDepth, new HybridRules());
        for (var t = 0; t < users.Length; t++) _ranked[users[t]] = lists[t];
    }

    /// <summary>Whether a customer outside the snapshot (no purchases when it was taken) would be ranked by segment:
    /// then the caller should pass their age band to <see cref="ForCustomer"/>.</summary>
    public bool WantsSegmentOf(long customerId) => Hybrid.Model!.SegmentPopularity is not null && Snapshot.UserIndex(customerId) < 0;

    /// <summary>Reciprocal-rank fusion constant (Cormack, Clarke &amp; Büttcher 2009: k = 60).</summary>
    private const int FusionK = 60;

    /// <param name="ageBand">The customer's age band read at request time (<see cref="CustomerSegments.AgeBand"/>), used
    /// when the snapshot does not hold the customer: a new customer gets the candidates of their age band.</param>
    /// <param name="recentlyViewed">Articles the customer viewed or put in the cart lately, oldest first (read per request):
    /// the list is fused with what those views suggest, so browsing shows in the very next request.</param>
    public IReadOnlyList<RecommendedArticle> ForCustomer(long customerId, RecsRequest request, ItemSet unavailable, int ageBand = -1,
        IReadOnlyList<long>? recentlyViewed = null)
    {
        var personal = Personal(customerId, request, unavailable, ageBand);
        var viewed = (recentlyViewed ?? []).Select(Snapshot.ItemIndex).Where(i => i >= 0).ToArray();
        return viewed.Length == 0 ? personal : WithRecentViews(Snapshot.UserIndex(customerId), personal, viewed, request, unavailable);
    }

    /// <summary>
    /// Three ranked lists fused by reciprocal rank (each item scores Σ 1 / (k + rank)): the personal list, the session
    /// item-kNN neighbours of the recent views (<see cref="SessionRecommender"/>, recent views weigh most), and the viewed
    /// articles themselves that the customer has not bought (most recent first). The request's rules hold for all three.
    /// </summary>
    private List<RecommendedArticle> WithRecentViews(int user, IReadOnlyList<RecommendedArticle> personal, int[] viewed,
        RecsRequest request, ItemSet unavailable)
    {
        var m = Hybrid.Model!;
        var allowOnly = request.CategoryId is { } c ? CategoryItems(c) : null;
        bool Allowed(int i) => !unavailable.Contains(i) && (allowOnly?.Contains(i) ?? true);
        bool Bought(int i) => user >= 0 && m.HasHistory(user) && m.Counts.Get(user, i) > 0;
        var viewedSet = viewed.ToHashSet();
        // Per item: fused score, the reason of the list that ranks it highest (ties: the earlier list), first-seen order.
        var fused = new Dictionary<int, (double Score, double Best, string Reason, int Order)>();
        void Add(int i, int rank, string reason)
        {
            double add = 1.0 / (FusionK + rank);
            fused[i] = fused.TryGetValue(i, out var e)
                ? (e.Score + add, Math.Max(e.Best, add), add > e.Best ? reason : e.Reason, e.Order)
                : (add, add, reason, fused.Count);
        }
        for (int r = 0; r < personal.Count; r++) Add(Snapshot.ItemIndex(personal[r].ArticleId), r + 1, personal[r].Reason);
        var browsedTypes = viewed.Select(i => Snapshot.Catalog.Category[i]).ToHashSet();
        var session = Session.Recommend(viewed, request.N * 2 + viewed.Length, unavailable);
        int rank = 0;
        for (var k = 0; k < session.N; k++)
        {
            var i = session.Items[k];
            if (i < 0) break;
            if (viewedSet.Contains(i) || !Allowed(i) || (request.ExcludePurchased && Bought(i))) continue;
            Add(i, ++rank, browsedTypes.Contains(Snapshot.Catalog.Category[i])
                ? $"because you looked at {Snapshot.TypeNames[i].ToLowerInvariant()}"
                : "inspired by what you looked at");
        }
        rank = 0;
        var seen = new HashSet<int>();
        for (var v = viewed.Length - 1; v >= 0; v--)
        {
            var i = viewed[v];
            if (!seen.Add(i) || !Allowed(i) || Bought(i)) continue;
            Add(i, ++rank, "you looked at this recently");
        }
        return TakeCapped(fused.OrderByDescending(p => p.Value.Score).ThenBy(p => p.Value.Order), request.N, request.MaxPerProduct,
            p => p.Key, p => Describe(p.Key, (float)p.Value.Score, p.Value.Reason));
    }

    /// <summary>The first <paramref name="n"/> of a ranked list with at most <paramref name="maxPerProduct"/> articles per
    /// product (0 = no cap), skipping what <paramref name="skip"/> rejects; only the kept entries are described.</summary>
    private List<RecommendedArticle> TakeCapped<T>(IEnumerable<T> ranked, int n, int maxPerProduct, Func<T, int> itemOf,
        Func<T, RecommendedArticle> describe, Func<T, bool>? skip = null)
    {
        var result = new List<RecommendedArticle>(n);
        var perProduct = new Dictionary<long, int>();
        foreach (var e in ranked)
        {
            if (result.Count >= n) break;
            if (skip?.Invoke(e) == true) continue;
            var product = Snapshot.ProductIds[itemOf(e)];
            var seen = perProduct.GetValueOrDefault(product);
            if (maxPerProduct > 0 && seen >= maxPerProduct) continue;
            perProduct[product] = seen + 1;
            result.Add(describe(e));
        }
        return result;
    }

    private IReadOnlyList<RecommendedArticle> Personal(long customerId, RecsRequest request, ItemSet unavailable, int ageBand)
    {
        var user = Snapshot.UserIndex(customerId);
        int[]? segments = user < 0 && ageBand >= 0 ? [ageBand] : null;
        if (request.CategoryId is null && !request.ExcludePurchased && request.N <= MemoDepth / 2)
        {
            // Customers outside the snapshot share one memo entry per age band (-1 = unknown, the shared cold list).
            int key = segments is null ? user : -2 - ageBand;
            var ranked = _ranked.GetOrAdd(key, _ => Hybrid.Recommend([user], MemoDepth, new HybridRules(), segments)[0]);
            var fromMemo = TakeCapped(ranked, request.N, request.MaxPerProduct, e => e.Item, e => Describe(e.Item, e.Score, Reason(e)),
                e => unavailable.Contains(e.Item));
            if (fromMemo.Count >= request.N) return fromMemo;
        }
        var rules = new HybridRules
        {
            Exclude = unavailable,
            AllowOnly = request.CategoryId is { } c ? CategoryItems(c) : null,
            ExcludePurchased = request.ExcludePurchased,
            MaxPerProduct = request.MaxPerProduct,
        };
        var explained = Hybrid.Recommend([user], request.N, rules, segments)[0];
        var result = new List<RecommendedArticle>(explained.Length);
        foreach (var e in explained) result.Add(Describe(e.Item, e.Score, Reason(e)));
        // Category filters can leave the hybrid's candidate pool short: fill from trending in that category.
        if (result.Count < request.N)
            Fill(result, request.N, Hybrid.Model!.Trending.RankedItems, i => !unavailable.Contains(i) && (rules.AllowOnly?.Contains(i) ?? true),
                i => $"trending in {Snapshot.TypeNames[i]}");
        return result;
    }

    /// <summary>
    /// Alternatives to an article for its product page: <see cref="StyleSimilarity"/> (looks alike and bought by the
    /// same customers, same product group, one article per product, never the article's own product), memoised per
    /// article and version with stock applied at read time. Artifacts without item texts fall back to item-kNN.
    /// </summary>
    public IReadOnlyList<RecommendedArticle> Similar(long articleId, int n, ItemSet unavailable)
    {
        var item = Snapshot.ItemIndex(articleId);
        if (item < 0) return [];
        var name = Snapshot.ProductNames[item];
        if (Style is null) return SimilarByPurchases(item, name, n, unavailable);
        var styles = n <= MemoDepth / 2 ? _similar.GetOrAdd(item, i => Style.Similar(i, MemoDepth, Hybrid.Model!.Knn.Neighbours)) : [];
        var available = styles.Where(s => !unavailable.Contains(s.Item)).Take(n).ToArray();
        if (available.Length < n) available = Style.Similar(item, n, Hybrid.Model!.Knn.Neighbours, unavailable);
        return available.Select(s => Describe(s.Item, s.Score, s.Evidence switch
        {
            StyleEvidence.Looks | StyleEvidence.Bought => $"similar to {name}, and bought by the same customers",
            StyleEvidence.Bought => $"bought by customers who bought {name}",
            _ => $"similar to {name}",
        })).ToList();
    }

    private List<RecommendedArticle> SimilarByPurchases(int item, string name, int n, ItemSet unavailable)
    {
        var batch = Hybrid.Model!.Knn.SimilarItems(item, n + 16);
        var result = new List<RecommendedArticle>(n);
        for (var k = 0; k < batch.N && result.Count < n; k++)
        {
            var i = batch.Items[k];
            if (i < 0) break;
            if (unavailable.Contains(i) || i == item) continue;
            result.Add(Describe(i, batch.Scores[k], $"bought together with {name}"));
        }
        // Items nobody bought yet: same product type, trending.
        var type = Snapshot.Catalog.Category[item];
        Fill(result, n, Hybrid.Model!.Trending.RankedItems, i => i != item && !unavailable.Contains(i) && Snapshot.Catalog.Category[i] == type,
            i => $"trending in {Snapshot.TypeNames[i]}");
        return result;
    }

    public IReadOnlyList<RecommendedArticle> CompleteOutfit(IReadOnlyList<long> articleIds, int n, ItemSet unavailable)
    {
        var cart = articleIds.Select(Snapshot.ItemIndex).Where(i => i >= 0).ToArray();
        if (cart.Length == 0) return [];
        var batch = Outfit.Complete(cart, n, unavailable);
        var result = new List<RecommendedArticle>(n);
        var names = cart.Select(i => Snapshot.ProductNames[i]).Distinct().ToArray();
        var reason = names.Length switch
        {
            1 => $"completes the look with {names[0]}",
            2 => $"completes the look with {names[0]} and {names[1]}",
            _ => "completes the look of your bag",
        };
        for (var k = 0; k < batch.N; k++)
        {
            var i = batch.Items[k];
            if (i < 0) break;
            result.Add(Describe(i, batch.Scores[k], reason));
        }
        return result;
    }

    /// <summary>Recommendations for a browsing session: the recent article ids, oldest first.</summary>
    public IReadOnlyList<RecommendedArticle> ForSession(IReadOnlyList<long> recentArticleIds, int n, ItemSet unavailable)
    {
        var items = recentArticleIds.Select(Snapshot.ItemIndex).Where(i => i >= 0).ToArray();
        var batch = Session.Recommend(items, n + items.Length, unavailable);
        var seen = items.ToHashSet();
        var result = new List<RecommendedArticle>(n);
        for (var k = 0; k < batch.N && result.Count < n; k++)
        {
            var i = batch.Items[k];
            if (i < 0) break;
            if (seen.Contains(i)) continue;
            result.Add(Describe(i, batch.Scores[k], items.Length == 0
                ? $"trending in {Snapshot.TypeNames[i]}"
                : $"because you are looking at {Snapshot.TypeNames[items[^1]].ToLowerInvariant()}"));
        }
        return result;
    }

    /// <summary>The items of one category, built once per category and model version rather than on every request.</summary>
    private ItemSet CategoryItems(int categoryId) => _categoryItems.GetOrAdd(categoryId,
        c => ItemSet.Of(ItemCount, Enumerable.Range(0, ItemCount).Where(i => Snapshot.CategoryIds[i] == c)));

    private string Reason(ExplainedItem e) => e.Source switch
    {
        CandidateSource.Repurchase => "buy again: you bought this before",
        CandidateSource.ItemKnn when e.BecauseOfItem >= 0 => $"because you bought {Snapshot.ProductNames[e.BecauseOfItem]}",
        CandidateSource.SameProduct => "another colour of a style you bought",
        CandidateSource.Als => "picked for your style",
        CandidateSource.Trending => $"trending in {Snapshot.TypeNames[e.Item]}",
        CandidateSource.SegmentPopularity => "popular with customers of your age",
        _ => "popular right now",
    };

    private void Fill(List<RecommendedArticle> result, int n, ReadOnlySpan<int> ranked, Func<int, bool> allowed, Func<int, string> reason)
    {
        var have = result.Select(r => r.ArticleId).ToHashSet();
        foreach (var i in ranked)
        {
            if (result.Count >= n) return;
            if (!allowed(i) || !have.Add(Snapshot.ArticleIds[i])) continue;
            result.Add(Describe(i, 0f, reason(i)));
        }
    }

    private RecommendedArticle Describe(int i, float score, string reason) => new(
        Snapshot.ArticleIds[i], Snapshot.ArticleCodes[i], Snapshot.ProductIds[i], Snapshot.ProductNames[i], Snapshot.TypeNames[i],
        Snapshot.Prices[i], score, reason);
}
