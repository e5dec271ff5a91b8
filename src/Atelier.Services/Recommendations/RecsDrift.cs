using Atelier.Ml.Evaluation;
using Atelier.Ml.Recommenders.Hybrid;
using Atelier.Services.Models;
using Npgsql;

namespace Atelier.Services.Recommendations;

/// <summary>One measure of drift: its value, the threshold that makes it a finding, and the finding in words (null = fine).</summary>
public sealed record DriftMeasure(string Name, double? Value, double Threshold, string? Finding);

/// <summary>
/// How far the store has moved from what the served version learned: the purchases since it was registered against the
/// 28 days before (product-type mix and price, as population stability indices), how many of them the model cannot
/// know (new customers, new articles), and how its lists score on them (live MAP@12, same protocol as the hold-out)
/// against its own hold-out figure and against the best sellers. Status: <c>ok</c>, <c>drifting</c> (retraining
/// advised: <see cref="Findings"/> says why), or <c>not_enough_data</c> (fewer than <see cref="RecsDrift.MinCustomers"/>
/// customers bought since).
/// </summary>
public sealed record RecsDriftDto(int Version, DateTimeOffset TrainedAt, DateTimeOffset ComputedAt, double DaysSinceTraining,
    long PurchasesSince, long CustomersSince, long ReferencePurchases, string Status, IReadOnlyList<string> Findings,
    IReadOnlyList<DriftMeasure> Measures)
{
    public double? Measure(string name) => Measures.FirstOrDefault(m => m.Name == name)?.Value;
}

/// <summary>Drift of the served recommender against the store's data since it was trained (<see cref="RecsDriftDto"/>).</summary>
public sealed class RecsDrift(NpgsqlDataSource db, ModelRegistry registry, RecommendationService service, TimeProvider clock)
{
    public const int ReferenceDays = 28;
    public const int MinCustomers = 20;
    /// <summary>PSI above 0.25 is a major shift in the usual reading (below 0.1 stable; Siddiqi 2006, "Credit Risk
    /// Scorecards", ch. 8); small samples need more (<see cref="PsiLimit"/>).</summary>
    public const double PsiThreshold = 0.25;
    public const double UnknownArticleThreshold = 0.25;
    /// <summary>Live MAP@12 below this share of the version's hold-out MAP@12 is a finding.</summary>
    public const double LiveMapRatioThreshold = 0.5;
    public const double MaxAgeDays = 7;
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(10);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private RecsDriftDto? _last;

    /// <summary>The drift of the served version (kept <see cref="CacheFor"/> per version; <paramref name="refresh"/> recomputes);
    /// null when no version is served.</summary>
    public async Task<RecsDriftDto?> CurrentAsync(bool refresh, CancellationToken ct)
    {
        if (service.Serving is not { } serving) return null;
        var now = clock.GetUtcNow();
        if (!refresh && _last is { } c && c.Version == serving.Version && now - c.ComputedAt < CacheFor) return c;
        await _gate.WaitAsync(ct);
        try
        {
            if (!refresh && _last is { } d && d.Version == serving.Version && now - d.ComputedAt < CacheFor) return d;
            var version = (await registry.ListAsync(RecommendationService.ModelName, ct)).FirstOrDefault(v => v.Version == serving.Version);
            if (version is null) return null;
            _last = await ComputeAsync(serving.Engine, version, now, ct);
            Hosting.AtelierMeter.SetRecommenderDrift(_last);
            return _last;
        }
        finally
        {
            _gate.Release();
        }
    }

    public const string RunName = RecommendationService.ModelName + "-drift";

    /// <summary>
    /// Computes the served version's drift now and records it as a tracked run (<see cref="RunName"/>: the measures as
    /// metrics, <c>drifting</c> 1/0, status and findings in the note), so the checks of past nights stay readable.
    /// </summary>
    public async Task<RecsDriftDto?> RecordAsync(CancellationToken ct)
    {
        // Null: nothing served, or a served version the registry does not hold (nothing to compare with).
        if (await CurrentAsync(refresh: true, ct) is not { } drift) return null;
        var run = await registry.StartRunAsync(RunName, new { version = drift.Version },
            $"v{drift.Version} {drift.Status}" + (drift.Findings.Count > 0 ? ": " + string.Join("; ", drift.Findings) : ""), ct);
        var metrics = new Dictionary<string, double>();
        foreach (var m in drift.Measures) if (m.Value is { } v) metrics[m.Name] = v;
        metrics["drifting"] = drift.Status == "drifting" ? 1 : 0;
        metrics["purchases_since"] = drift.PurchasesSince;
        metrics["customers_since"] = drift.CustomersSince;
        await registry.FinishRunAsync(run, metrics, null, ct);
        return drift;
    }

    /// <summary>Units of one product type at one price paid, before (reference) or since training.</summary>
    private sealed record MixRow(int ProductType, double Price, bool Recent, double Units);

    /// <summary>Units one customer bought of one article since training.</summary>
    private sealed record PairRow(long Customer, long Article, double Units);

    public async Task<RecsDriftDto> ComputeAsync(RecsEngine engine, ModelVersionInfo version, DateTimeOffset now, CancellationToken ct)
    {
        var trainedAt = version.CreatedAt;
        // Aggregated in the database: rows per (type, price, window) and per (customer, article) since, not per sale line.
        // Units are capped at 10 per line, as in the training snapshot.
        var mix = new List<MixRow>();
        await using (var cmd = db.CreateCommand("""
            SELECT product_type_id, (unit_price - discount)::float8, placed_at > $2, sum(least(quantity, 10))::float8
            FROM sales_line WHERE placed_at >= $1 AND placed_at <= $3 GROUP BY 1, 2, 3
            """))
        {
            cmd.Parameters.AddWithValue(trainedAt.UtcDateTime.AddDays(-ReferenceDays));
            cmd.Parameters.AddWithValue(trainedAt.UtcDateTime);
            cmd.Parameters.AddWithValue(now.UtcDateTime);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) mix.Add(new MixRow(r.GetInt32(0), r.GetDouble(1), r.GetBoolean(2), r.GetDouble(3)));
        }
        var pairs = new List<PairRow>();
        await using (var cmd = db.CreateCommand("""
            SELECT customer_id, article_id, sum(least(quantity, 10))::float8
            FROM sales_line WHERE placed_at > $1 AND placed_at <= $2 GROUP BY 1, 2
            """))
        {
            cmd.Parameters.AddWithValue(trainedAt.UtcDateTime);
            cmd.Parameters.AddWithValue(now.UtcDateTime);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) pairs.Add(new PairRow(r.GetInt64(0), r.GetInt64(1), r.GetDouble(2)));
        }
        var recent = mix.Where(m => m.Recent).ToList();
        var reference = mix.Where(m => !m.Recent).ToList();
        double recentUnits = recent.Sum(m => m.Units), referenceUnits = reference.Sum(m => m.Units);
        var snapshot = engine.Snapshot;
        long customersSince = pairs.Select(p => p.Customer).Distinct().LongCount();
        var measures = new List<DriftMeasure>();
        var findings = new List<string>();
        void Add(string name, double? value, double threshold, bool isFinding, string finding)
        {
            measures.Add(new DriftMeasure(name, value, threshold, isFinding ? finding : null));
            if (isFinding) findings.Add(finding);
        }

        double days = (now - trainedAt).TotalDays;
        Add("days_since_training", days, MaxAgeDays, days > MaxAgeDays, $"the served version is {days:0.#} days old (more than {MaxAgeDays:0})");
        bool enough = customersSince >= MinCustomers;
        if (recentUnits > 0)
        {
            double unknownArticles = pairs.Where(p => snapshot.ItemIndex(p.Article) < 0).Sum(p => p.Units) / recentUnits;
            Add("unknown_article_share", unknownArticles, UnknownArticleThreshold, enough && unknownArticles > UnknownArticleThreshold,
                $"{unknownArticles:0%} of the units sold since are articles the model has never seen (it cannot recommend them)");
            double unknownCustomers = pairs.Where(p => snapshot.UserIndex(p.Customer) < 0).Sum(p => p.Units) / recentUnits;
            measures.Add(new DriftMeasure("unknown_customer_share", unknownCustomers, 0, null)); // informative: new customers get the cold list
        }
        if (recentUnits > 0 && referenceUnits > 0)
        {
            var (before, since) = (Counts(reference, p => p.ProductType), Counts(recent, p => p.ProductType));
            double typePsi = Psi(before, since), typeLimit = PsiLimit(before.Keys.Union(since.Keys).Count(), (long)recentUnits, (long)referenceUnits);
            Add("product_type_psi", typePsi, typeLimit, enough && typePsi > typeLimit,
                $"the product-type mix moved (PSI {typePsi:0.00} > {typeLimit:0.00})");
            var edges = Deciles(reference);
            (before, since) = (Counts(reference, p => Bin(edges, p.Price)), Counts(recent, p => Bin(edges, p.Price)));
            double pricePsi = Psi(before, since), priceLimit = PsiLimit(before.Keys.Union(since.Keys).Count(), (long)recentUnits, (long)referenceUnits);
            Add("price_psi", pricePsi, priceLimit, enough && pricePsi > priceLimit,
                $"prices paid moved (PSI {pricePsi:0.00} over the reference deciles > {priceLimit:0.00})");
        }
        if (enough)
        {
            // Same protocol as the hold-out (RecsTrainer.Evaluate): the hybrid's 12, no per-product cap, everyone who bought.
            var bought = pairs.GroupBy(p => p.Customer).ToList();
            var users = bought.Select(g => snapshot.UserIndex(g.Key)).ToArray();
            var lists = engine.Hybrid.Recommend(users, 12, new HybridRules { MaxPerProduct = 0 });
            var ranked = engine.Hybrid.Model!.Popularity.RankedItems;
            var bestSellers = ranked[..Math.Min(12, ranked.Length)].ToArray();
            double map = 0, popularity = 0;
            for (int t = 0; t < bought.Count; t++)
            {
                // Articles the model does not know can never be hit: -1 marks them, distinct per article.
                var actual = bought[t].Select(p => snapshot.ItemIndex(p.Article) is var i && i >= 0 ? i : -1 - (int)(p.Article % int.MaxValue))
                    .ToHashSet();
                map += RankingMetrics.AveragePrecision(lists[t].Select(e => e.Item).ToArray(), actual, 12);
                popularity += RankingMetrics.AveragePrecision(bestSellers, actual, 12);
            }
            map /= bought.Count;
            popularity /= bought.Count;
            measures.Add(new DriftMeasure("live_popularity_map_at_12", popularity, 0, null));
            if (version.Metrics.TryGetValue("map_at_12", out var holdout) && holdout > 0)
            {
                Add("live_map_at_12", map, LiveMapRatioThreshold * holdout, map < LiveMapRatioThreshold * holdout,
                    $"live MAP@12 {map:0.0000} on the purchases since is below {LiveMapRatioThreshold:0%} of the hold-out's {holdout:0.0000}");
            }
            else measures.Add(new DriftMeasure("live_map_at_12", map, 0, null));
            if (map < popularity) findings.Add($"the best sellers ({popularity:0.0000}) beat the personal lists ({map:0.0000}) on the purchases since");
        }
        string status = !enough && findings.Count == 0 ? "not_enough_data" : findings.Count > 0 ? "drifting" : "ok";
        return new RecsDriftDto(version.Version, trainedAt, now, days, (long)recentUnits, customersSince, (long)referenceUnits, status, findings, measures);
    }

    /// <summary>Units per key.</summary>
    private static Dictionary<int, double> Counts(List<MixRow> rows, Func<MixRow, int> key) =>
        rows.GroupBy(key).ToDictionary(g => g.Key, g => g.Sum(m => m.Units));

    /// <summary>
    /// Population stability index Σ (q − p) ln(q / p) over the union of bins, from counts: p and q are the reference's and
    /// the current window's shares with half a unit added to every bin (Jeffreys smoothing), so that a bin empty on one
    /// side stays finite and its weight shrinks as the samples grow.
    /// </summary>
    public static double Psi(IReadOnlyDictionary<int, double> referenceCounts, IReadOnlyDictionary<int, double> currentCounts)
    {
        var bins = referenceCounts.Keys.Union(currentCounts.Keys).ToList();
        double n0 = referenceCounts.Values.Sum() + 0.5 * bins.Count, n1 = currentCounts.Values.Sum() + 0.5 * bins.Count;
        double psi = 0;
        foreach (var k in bins)
        {
            double p = (referenceCounts.GetValueOrDefault(k) + 0.5) / n0, q = (currentCounts.GetValueOrDefault(k) + 0.5) / n1;
            psi += (q - p) * Math.Log(q / p);
        }
        return psi;
    }

    /// <summary>
    /// The PSI above which a shift is a finding: the usual 0.25, raised for small samples to what sampling alone reaches
    /// once in a hundred times. Under no shift, PSI / (1/n + 1/N) is approximately χ² with bins − 1 degrees of freedom
    /// (Yurdakul 2018, "Statistical properties of population stability index"), so a store with 60 product types and
    /// 150 units sold since would otherwise raise a false alarm about every time. χ² quantile: Wilson &amp; Hilferty (1931).
    /// </summary>
    public static double PsiLimit(int bins, long current, long reference)
    {
        if (bins < 2 || current <= 0 || reference <= 0) return PsiThreshold;
        double k = bins - 1, z = 2.3263478740408408; // z at 0.99
        double chi2 = k * Math.Pow(1 - 2 / (9 * k) + z * Math.Sqrt(2 / (9 * k)), 3);
        return Math.Max(PsiThreshold, chi2 * (1.0 / current + 1.0 / reference));
    }

    /// <summary>The nine inner decile edges of the prices paid, weighted by units (distinct, ascending): edge d is the
    /// price of the unit at position ⌊d·(W − 1)/10⌋ in price order.</summary>
    private static double[] Deciles(List<MixRow> rows)
    {
        var byPrice = rows.GroupBy(m => m.Price).Select(g => (Price: g.Key, Units: g.Sum(m => m.Units))).OrderBy(x => x.Price).ToArray();
        double total = byPrice.Sum(x => x.Units);
        if (total <= 0) return [];
        var edges = new List<double>();
        for (int d = 1; d <= 9; d++)
        {
            double at = Math.Floor(d * (total - 1) / 10), seen = 0;
            foreach (var (price, units) in byPrice)
            {
                seen += units;
                if (seen > at) { edges.Add(price); break; }
            }
        }
        return edges.Distinct().ToArray();
    }

    private static int Bin(double[] edges, double v)
    {
        int b = 0;
        while (b < edges.Length && v > edges[b]) b++;
        return b;
    }
}
