using System.Diagnostics;

namespace Atelier.Ml.Recommenders.Hybrid;

/// <summary>
/// Two-stage recommender (the design of the H&amp;M competition winners): candidates from every source, then a learned
/// ranker over their features. The ranker is trained on the period just before the cutoff (labels = purchases in the
/// last <see cref="HybridOptions.LabelDays"/> days before it), then the sources are refitted on all history.
/// </summary>
public sealed class HybridRecommender
{
    private readonly Func<IRanker> _rankerFactory;
    private readonly Func<IRanker> _coldRankerFactory;

    /// <param name="rankerFactory">Ranker for users with history (default logistic).</param>
    /// <param name="coldRankerFactory">Ranker for users without history (default: same as <paramref name="rankerFactory"/>).</param>
    public HybridRecommender(HybridOptions? options = null, Func<IRanker>? rankerFactory = null, Func<IRanker>? coldRankerFactory = null)
    {
        Options = options ?? new HybridOptions();
        _rankerFactory = rankerFactory ?? (() => new LogisticRanker());
        _coldRankerFactory = coldRankerFactory ?? _rankerFactory;
    }

    public HybridOptions Options { get; }
    public IRanker? WarmRanker { get; private set; }
    public IRanker? ColdRanker { get; private set; }
    public string RankerName => $"{WarmRanker?.Name ?? "none"} (cold users: {ColdRanker?.Name ?? "none"})";
    public HybridModel? Model { get; private set; }
    public double RankerTrainingSeconds { get; private set; }
    public int RankerTrainingRows { get; private set; }

    public void Fit(InteractionLog log, ItemCatalog catalog, int cutoffDay)
    {
        int trainCut = cutoffDay - Options.LabelDays;
        var history = log.Window(int.MinValue, trainCut);
        var train = new HybridModel(history, catalog, trainCut, Options);
        var labels = log.Window(trainCut, cutoffDay).ItemSetsByUser();
        var rng = new Random(Options.Seed);
        var users = new List<int>();
        int cold = 0;
        for (int u = 0; u < labels.Length; u++)
        {
            if (labels[u] is null) continue;
            if (!train.HasHistory(u))
            {
                if (rng.NextDouble() > 0.5 || cold >= Options.MaxColdTrainingUsers) continue;
                cold++;
            }
            users.Add(u);
        }
        var userArray = users.ToArray();
        var cands = HybridFeatures.Build(train, userArray);
        // Two rankers: users with history and cold users see different candidates and features mean different things.
        var sw = Stopwatch.StartNew();
        (WarmRanker, int warmRows) = TrainRanker(_rankerFactory, cands, userArray, labels, u => train.HasHistory(u));
        (ColdRanker, int coldRows) = TrainRanker(_coldRankerFactory, cands, userArray, labels, u => !train.HasHistory(u));
        RankerTrainingSeconds = sw.Elapsed.TotalSeconds;
        RankerTrainingRows = warmRows + coldRows;
        Model = new HybridModel(log.Window(int.MinValue, cutoffDay), catalog, cutoffDay, Options);
    }

    private static (IRanker Ranker, int Rows) TrainRanker(Func<IRanker> factory, UserCandidates[] cands, int[] users, HashSet<int>[] labels, Func<int, bool> include)
    {
        int cols = HybridFeatures.Count;
        var x = new List<float>();
        var y = new List<float>();
        var groups = new List<int>();
        for (int t = 0; t < cands.Length; t++)
        {
            if (!include(users[t])) continue;
            var set = labels[users[t]];
            var c = cands[t];
            bool any = false;
            foreach (int i in c.Items) any |= set.Contains(i);
            if (!any) continue; // groups without a positive teach a ranker nothing
            x.AddRange(c.Features);
            foreach (int i in c.Items) y.Add(set.Contains(i) ? 1f : 0f);
            groups.Add(c.Items.Length);
        }
        var ranker = factory();
        if (y.Count > 0) ranker.Fit(x.ToArray(), y.Count, cols, y.ToArray(), groups.ToArray());
        return (ranker, y.Count);
    }

    /// <summary>Top-<paramref name="n"/> explained items for each user, business rules applied.</summary>
    public ExplainedItem[][] Recommend(int[] users, int n, HybridRules? rules = null)
    {
        var m = Model ?? throw new InvalidOperationException("Fit the hybrid first.");
        rules ??= new HybridRules();
        var cands = HybridFeatures.Build(m, users);
        var result = new ExplainedItem[users.Length][];
        var cache = new Dictionary<UserCandidates, float[]>(ReferenceEqualityComparer.Instance);
        Parallel.For(0, users.Length, t =>
        {
            var c = cands[t];
            float[] scores;
            lock (cache)
                cache.TryGetValue(c, out scores!);
            if (scores is null)
            {
                int cols = HybridFeatures.Count;
                scores = new float[c.Items.Length];
                var ranker = (c.User < 0 ? ColdRanker : WarmRanker)!;
                for (int r = 0; r < scores.Length; r++) scores[r] = ranker.Score(c.Features.AsSpan(r * cols, cols));
                if (c.User < 0) lock (cache) cache[c] = scores;
            }
            result[t] = Select(m, users[t], c, scores, n, rules);
        });
        return result;
    }

    private static ExplainedItem[] Select(HybridModel m, int user, UserCandidates c, float[] scores, int n, HybridRules rules)
    {
        var order = new int[c.Items.Length];
        for (int r = 0; r < order.Length; r++) order[r] = r;
        Array.Sort(order, (a, b) => scores[b].CompareTo(scores[a]) is var cmp && cmp != 0 ? cmp : c.Items[a].CompareTo(c.Items[b]));
        var chosen = new List<ExplainedItem>(n);
        var perProduct = new Dictionary<int, int>();
        bool warm = m.HasHistory(user);
        foreach (int r in order)
        {
            if (chosen.Count >= n) break;
            int i = c.Items[r];
            if (rules.Exclude is not null && rules.Exclude.Contains(i)) continue;
            if (rules.AllowOnly is not null && !rules.AllowOnly.Contains(i)) continue;
            if (rules.ExcludePurchased && warm && m.Counts.Get(user, i) > 0) continue;
            if (rules.MaxPerProduct > 0)
            {
                int p = m.Catalog.Product[i];
                int seen = perProduct.GetValueOrDefault(p);
                if (seen >= rules.MaxPerProduct) continue;
                perProduct[p] = seen + 1;
            }
            var src = c.Sources[r];
            int because = src switch
            {
                CandidateSource.ItemKnn => m.Knn.StrongestSource(user, m.Recency, i),
                CandidateSource.Repurchase => i,
                _ => -1,
            };
            chosen.Add(new ExplainedItem(i, scores[r], src, because));
        }
        return chosen.ToArray();
    }
}
