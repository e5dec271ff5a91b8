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
    /// <summary>The users-with-history ranker's share of <see cref="RankerTrainingRows"/> (0 after <see cref="Load"/>).</summary>
    public int WarmTrainingRows { get; private set; }

    /// <summary>
    /// The ranker's label windows before <paramref name="cutoffDay"/>: sources fitted before Cut, labels = purchases in
    /// [Cut, End). <see cref="HybridOptions.TrainingWindows"/> consecutive windows of <see cref="HybridOptions.LabelDays"/>,
    /// then, with <see cref="HybridOptions.RecentWindowDays"/>, one more whose labels are the last days before the
    /// cutoff, for users with history only (ColdUsers false).
    /// </summary>
    public static IReadOnlyList<(int Cut, int End, bool ColdUsers)> TrainingWindows(HybridOptions options, int cutoffDay)
    {
        if (options.RecentWindowDays < 0 || (options.RecentWindowDays > 0 && options.RecentWindowDays >= options.LabelDays))
            throw new ArgumentException($"RecentWindowDays ({options.RecentWindowDays}) must be 0 or shorter than LabelDays ({options.LabelDays})");
        var windows = new List<(int, int, bool)>();
        for (int w = 1; w <= options.TrainingWindows; w++)
            windows.Add((cutoffDay - w * options.LabelDays, cutoffDay - (w - 1) * options.LabelDays, true));
        if (options.RecentWindowDays > 0) windows.Add((cutoffDay - options.RecentWindowDays, cutoffDay, false));
        return windows;
    }

    /// <param name="userSegments">Segment of each user (-1 unknown), e.g. an age band: adds popularity within the segment as a source.</param>
    /// <param name="keepTrainingSet">Keep the warm users' ranker training rows for <see cref="WithWarmRanker"/> (an evaluation's seed study).</param>
    public void Fit(InteractionLog log, ItemCatalog catalog, int cutoffDay, int[]? userSegments = null, bool keepTrainingSet = false)
    {
        var windows = TrainingWindows(Options, cutoffDay);
        var warm = new TrainingSet();
        var cold = new TrainingSet();
        var rng = new Random(Options.Seed);
        foreach (var (trainCut, labelEnd, withCold) in windows)
        {
            var train = new HybridModel(log.Window(int.MinValue, trainCut), catalog, trainCut, Options, userSegments);
            var labels = log.Window(trainCut, labelEnd).ItemSetsByUser();
            var users = new List<int>();
            int coldUsers = 0;
            for (int u = 0; u < labels.Length; u++)
            {
                if (labels[u] is null) continue;
                if (!train.HasHistory(u))
                {
                    if (!withCold || rng.NextDouble() > 0.5 || coldUsers >= Options.MaxColdTrainingUsers) continue;
                    coldUsers++;
                }
                users.Add(u);
            }
            var cands = HybridFeatures.Build(train, users.ToArray());
            for (int t = 0; t < cands.Length; t++)
                (train.HasHistory(users[t]) ? warm : cold).Add(cands[t], labels[users[t]]);
        }
        // Two rankers: users with history and cold users see different candidates and features mean different things.
        var sw = Stopwatch.StartNew();
        WarmRanker = warm.Fit(_rankerFactory);
        ColdRanker = cold.Fit(_coldRankerFactory);
        RankerTrainingSeconds = sw.Elapsed.TotalSeconds;
        RankerTrainingRows = warm.Rows + cold.Rows;
        WarmTrainingRows = warm.Rows;
        Model = new HybridModel(log.Window(int.MinValue, cutoffDay), catalog, cutoffDay, Options, userSegments);
        _warmTrainingSet = keepTrainingSet ? warm : null;
    }

    private TrainingSet? _warmTrainingSet;

    /// <summary>
    /// The same fitted sources, candidates and cold-user ranker with a new warm-user ranker trained on the kept rows:
    /// measures how much of a result is the ranker's own randomness (e.g. its trees' sampling seeds) without refitting
    /// the sources. Needs <c>Fit(…, keepTrainingSet: true)</c>.
    /// </summary>
    public HybridRecommender WithWarmRanker(Func<IRanker> rankerFactory)
    {
        var set = _warmTrainingSet ?? throw new InvalidOperationException("Fit with keepTrainingSet: true first.");
        var sw = Stopwatch.StartNew();
        var ranker = set.Fit(rankerFactory);
        return new HybridRecommender(Options, rankerFactory, _coldRankerFactory)
        {
            Model = Model, WarmRanker = ranker, ColdRanker = ColdRanker, RankerTrainingRows = RankerTrainingRows, WarmTrainingRows = WarmTrainingRows,
            RankerTrainingSeconds = sw.Elapsed.TotalSeconds,
        };
    }

    private const string Tag = "atelier-hybrid";
    private const int FormatVersion = 1;

    /// <summary>Writes the fitted hybrid (sources, statistics' history, both rankers); <see cref="Load"/> restores it bit-exactly.</summary>
    public void Save(Stream stream)
    {
        var m = Model ?? throw new InvalidOperationException("Fit the hybrid first.");
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(Tag);
        w.Write(FormatVersion);
        w.Write(RankerTrainingSeconds);
        w.Write(RankerTrainingRows);
        m.Write(w);
        WarmRanker!.Write(w);
        ColdRanker!.Write(w);
    }

    public static HybridRecommender Load(Stream stream)
    {
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (r.ReadString() != Tag) throw new InvalidDataException("not an Atelier hybrid recommender");
        int format = r.ReadInt32();
        if (format != FormatVersion) throw new InvalidDataException($"unsupported hybrid recommender format {format}");
        double seconds = r.ReadDouble();
        int rows = r.ReadInt32();
        var model = HybridModel.Read(r);
        return new HybridRecommender(model.Options)
        {
            RankerTrainingSeconds = seconds, RankerTrainingRows = rows, Model = model,
            WarmRanker = RankerIo.Read(r), ColdRanker = RankerIo.Read(r),
        };
    }

    private sealed class TrainingSet
    {
        private readonly List<float> _x = [];
        private readonly List<float> _y = [];
        private readonly List<int> _groups = [];

        public int Rows => _y.Count;

        public void Add(UserCandidates c, HashSet<int> positives)
        {
            bool any = false;
            foreach (int i in c.Items) any |= positives.Contains(i);
            if (!any) return; // groups without a positive teach a ranker nothing
            _x.AddRange(c.Features);
            foreach (int i in c.Items) _y.Add(positives.Contains(i) ? 1f : 0f);
            _groups.Add(c.Items.Length);
        }

        public IRanker Fit(Func<IRanker> factory)
        {
            var ranker = factory();
            if (Rows > 0) ranker.Fit(_x.ToArray(), Rows, HybridFeatures.Count, _y.ToArray(), _groups.ToArray());
            return ranker;
        }
    }

    /// <summary>Top-<paramref name="n"/> explained items for each user, business rules applied.</summary>
    /// <param name="segments">Segment per user for users the model holds none for (a new customer's age band), else null.</param>
    public ExplainedItem[][] Recommend(int[] users, int n, HybridRules? rules = null, int[]? segments = null)
    {
        var m = Model ?? throw new InvalidOperationException("Fit the hybrid first.");
        rules ??= new HybridRules();
        var cands = HybridFeatures.Build(m, users, segments);
        var result = new ExplainedItem[users.Length][];
        var cache = new Dictionary<UserCandidates, float[]>(ReferenceEqualityComparer.Instance);
        Parallel.For(0, users.Length, MlParallel.Options, t =>
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
