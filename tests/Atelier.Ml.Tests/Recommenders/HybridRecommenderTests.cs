using Atelier.Ml.Recommenders;
using Atelier.Ml.Recommenders.Hybrid;
using Atelier.Ml.Trees;

namespace Atelier.Ml.Tests.Recommenders;

public sealed class HybridRecommenderTests
{
    /// <summary>Each user re-buys a favourite item every few days; plus random popular noise.</summary>
    private static InteractionLog Synthetic(out int[] favourite)
    {
        var rng = new Random(3);
        int users = 150, items = 40;
        favourite = new int[users];
        var u = new List<int>();
        var i = new List<int>();
        var d = new List<int>();
        for (int user = 0; user < users; user++)
        {
            favourite[user] = rng.Next(items);
            for (int day = rng.Next(4); day < 40; day += 3 + rng.Next(3))
            {
                u.Add(user);
                i.Add(favourite[user]);
                d.Add(day);
                u.Add(user);
                i.Add(Math.Min(items - 1, (int)(rng.NextDouble() * rng.NextDouble() * items)));
                d.Add(day);
            }
        }
        return new InteractionLog(users, items, u.ToArray(), i.ToArray(), d.ToArray(), new float[u.Count]);
    }

    /// <summary>The 40 items of <see cref="Synthetic"/>, two variants per product, no other attributes.</summary>
    private static ItemCatalog TwoPerProduct() =>
        new(Enumerable.Range(0, 40).Select(x => x / 2).ToArray(), new int[40], new int[40], new int[40]);

    /// <summary>How many of the 150 synthetic users get their favourite item first.</summary>
    private static int FavouriteFirst(HybridRecommender h, int[] favourite)
    {
        var recs = h.Recommend(Enumerable.Range(0, 150).ToArray(), 1);
        return Enumerable.Range(0, 150).Count(u => recs[u].Length > 0 && recs[u][0].Item == favourite[u]);
    }

    private static readonly HybridOptions Options = new()
    {
        LabelDays = 5, TrendingDays = 5, PopularityHalfLifeDays = 5, CandidatesPerSource = 8,
        Als = new AlsOptions(Factors: 8, Iterations: 3),
    };

    [Fact]
    public void LearnsRepurchase_AndExplainsIt()
    {
        var log = Synthetic(out var fav);
        var catalog = TwoPerProduct();
        var h = new HybridRecommender(Options);
        h.Fit(log, catalog, cutoffDay: 35);
        int[] users = Enumerable.Range(0, 150).ToArray();
        var recs = h.Recommend(users, 3);
        int hits = users.Count(x => recs[x].Length > 0 && recs[x][0].Item == fav[x]);
        Assert.True(hits > 120, $"favourite first for {hits}/150");
        var first = recs[0][0];
        Assert.Equal(CandidateSource.Repurchase, first.Source);
        Assert.Equal("buy again", first.Reason);
    }

    [Fact]
    public void WithWarmRanker_RetrainsOnlyTheRanker_OnTheKeptRows()
    {
        var log = Synthetic(out _);
        var catalog = TwoPerProduct();
        Func<IRanker> trees = () => new GbdtRanker(new GbdtOptions { Trees = 20, MinDataInLeaf = 5, FeatureFraction = 0.5f, Seed = 1 });
        var h = new HybridRecommender(Options, trees);
        h.Fit(log, catalog, cutoffDay: 35, keepTrainingSet: true);
        int[] users = [.. Enumerable.Range(0, 150), -1];
        var original = h.Recommend(users, 5);

        // Same factory on the kept rows: the same ranker, so the same lists; the sources are shared, not refitted.
        var same = h.WithWarmRanker(trees);
        Assert.Same(h.Model, same.Model);
        Assert.Same(h.ColdRanker, same.ColdRanker);
        Assert.Equal(Flat(original), Flat(same.Recommend(users, 5)));

        // Another seed samples other features, so some warm scores change; the cold list (own ranker) does not.
        var other = h.WithWarmRanker(() => new GbdtRanker(new GbdtOptions { Trees = 20, MinDataInLeaf = 5, FeatureFraction = 0.5f, Seed = 2 }));
        var reseeded = other.Recommend(users, 5);
        Assert.NotEqual(original.Take(150).SelectMany(r => r.Select(e => e.Score)), reseeded.Take(150).SelectMany(r => r.Select(e => e.Score)));
        Assert.Equal(Flat(original[150..]), Flat(reseeded[150..]));

        var notKept = new HybridRecommender(Options, trees);
        notKept.Fit(log, catalog, cutoffDay: 35);
        Assert.Throws<InvalidOperationException>(() => notKept.WithWarmRanker(trees));

        static (int, float)[] Flat(ExplainedItem[][] lists) => [.. lists.SelectMany(r => r.Select(e => (e.Item, e.Score)))];
    }

    [Fact]
    public void BusinessRules_ExcludeAndDiversityCap()
    {
        var log = Synthetic(out var fav);
        var catalog = TwoPerProduct();
        var h = new HybridRecommender(Options);
        h.Fit(log, catalog, cutoffDay: 35);
        var rules = new HybridRules { Exclude = ItemSet.Of(40, [fav[0]]), MaxPerProduct = 1 };
        var recs = h.Recommend([0, 1, 2], 10, rules);
        Assert.DoesNotContain(recs[0], r => r.Item == fav[0]);
        foreach (var row in recs)
            Assert.Equal(row.Length, row.Select(r => catalog.Product[r.Item]).Distinct().Count());
        var bought = h.Recommend([0], 10, new HybridRules { ExcludePurchased = true });
        Assert.DoesNotContain(bought[0], r => h.Model!.Counts.Get(0, r.Item) > 0);
    }

    [Fact]
    public void SaveLoad_RoundTripsBitExact_WithoutRefitting()
    {
        var log = Synthetic(out _);
        var catalog = new ItemCatalog(Enumerable.Range(0, 40).Select(x => x / 2).ToArray(), Enumerable.Range(0, 40).Select(x => x % 5).ToArray(),
            Enumerable.Range(0, 40).Select(x => x % 3).ToArray(), Enumerable.Range(0, 40).Select(x => x % 4).ToArray());
        // The serving ranker: LambdaRank trees + log-loss trees + logistic, standardised and summed; cold users logistic.
        var trees = new GbdtOptions { Objective = GbdtObjective.LambdaRank, Trees = 20, MinDataInLeaf = 5, FeatureFraction = 0.8f };
        // With a recent label window, so the format-3 option round-trips too.
        var h = new HybridRecommender(Options with { RecentWindowDays = 2 }, () => new EnsembleRanker(new GbdtRanker(trees),
            new GbdtRanker(trees with { Objective = GbdtObjective.BinaryLogLoss, BaggingFraction = 0.8f }), new LogisticRanker()));
        // With user segments (every third user unknown), so the segment source is saved too.
        h.Fit(log, catalog, cutoffDay: 35, userSegments: Enumerable.Range(0, 150).Select(u => u % 3 == 2 ? -1 : u % 3).ToArray());
        Assert.NotNull(h.Model!.SegmentPopularity);

        using var saved = new MemoryStream();
        h.Save(saved);
        saved.Position = 0;
        var back = HybridRecommender.Load(saved);
        Assert.Equal(saved.Length, saved.Position);

        int[] users = [.. Enumerable.Range(0, 150), -1];
        var expected = h.Recommend(users, 12);
        var actual = back.Recommend(users, 12);
        for (int t = 0; t < users.Length; t++)
        {
            Assert.Equal(expected[t].Select(e => e.Item), actual[t].Select(e => e.Item));
            Assert.Equal(expected[t].Select(e => BitConverter.SingleToInt32Bits(e.Score)), actual[t].Select(e => BitConverter.SingleToInt32Bits(e.Score)));
            Assert.Equal(expected[t].Select(e => (e.Source, e.BecauseOfItem)), actual[t].Select(e => (e.Source, e.BecauseOfItem)));
        }
        // The loaded model holds the saved factors (not a refit) and writes the same bytes again.
        Assert.Equal(h.Model!.Als.ItemFactors, back.Model!.Als.ItemFactors);
        Assert.Equal(h.RankerName, back.RankerName);
        Assert.Equal(2, back.Model.Options.RecentWindowDays);
        using var again = new MemoryStream();
        back.Save(again);
        Assert.Equal(saved.ToArray(), again.ToArray());
    }

    [Fact]
    public void CustomersWithoutHistory_GetTheFavouritesOfTheirSegment()
    {
        // Users 0..99 buy item 0 and their segment's item (1 for even users, 2 for odd) every other day; users 100..149
        // start buying on days 30..34 (the ranker's label window); users 150..159 have no purchases at all.
        var u = new List<int>();
        var i = new List<int>();
        var d = new List<int>();
        void Buy(int user, int day) { u.AddRange([user, user]); i.AddRange([0, 1 + user % 2]); d.AddRange([day, day]); }
        for (int user = 0; user < 100; user++)
            for (int day = user % 2; day < 35; day += 2) Buy(user, day);
        for (int user = 100; user < 150; user++) Buy(user, 30 + user % 5);
        var log = new InteractionLog(160, 6, u.ToArray(), i.ToArray(), d.ToArray(), new float[u.Count]);
        var catalog = new ItemCatalog([0, 1, 2, 3, 4, 5], new int[6], new int[6], new int[6]);
        var segments = Enumerable.Range(0, 160).Select(x => x % 2).ToArray();
        var h = new HybridRecommender(Options);
        h.Fit(log, catalog, cutoffDay: 35, segments);

        var recs = h.Recommend([150, 151, 152, 153], 3);
        foreach (var (list, user) in recs.Zip(new[] { 150, 151, 152, 153 }))
        {
            int mine = 1 + user % 2, other = 2 - user % 2;
            var items = list.Select(e => e.Item).ToList();
            Assert.True(items.Contains(mine) && (!items.Contains(other) || items.IndexOf(mine) < items.IndexOf(other)),
                $"user {user} (segment {user % 2}): {string.Join(", ", items)}");
        }

        // A customer the model has never seen (user -1), with a segment known at request time, gets exactly the list
        // of that segment's customers without history; with no segment (or one the model does not know), the shared list.
        var atRequest = h.Recommend([-1, -1, -1, -1], 3, segments: [0, 1, -1, 7]);
        Assert.Equal(recs[0].Select(e => (e.Item, e.Score)), atRequest[0].Select(e => (e.Item, e.Score)));
        Assert.Equal(recs[1].Select(e => (e.Item, e.Score)), atRequest[1].Select(e => (e.Item, e.Score)));
        var shared = h.Recommend([-1], 3)[0].Select(e => (e.Item, e.Score)).ToArray();
        Assert.Equal(shared, atRequest[2].Select(e => (e.Item, e.Score)));
        Assert.Equal(shared, atRequest[3].Select(e => (e.Item, e.Score)));
        Assert.NotEqual(atRequest[0].Select(e => e.Item), atRequest[1].Select(e => e.Item));
        // The model's own segment of a known user wins over a request-time one.
        Assert.Equal(recs[0].Select(e => e.Item), h.Recommend([150], 3, segments: [1])[0].Select(e => e.Item));
    }

    /// <summary>
    /// A hybrid saved by the build before user segments (hybrid model format 1, 41 features; written by commit 71d206e
    /// with the recorded lists beside it) still loads, and ranks exactly as it did: the segment features appended since
    /// are empty for it and its rankers ignore them.
    /// </summary>
    [Fact]
    public void AFormatOneHybrid_LoadsAndRanksAsItDidWhenSaved()
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "Recommenders", "Fixtures");
        using var file = File.OpenRead(Path.Combine(dir, "hybrid-format1.bin"));
        var h = HybridRecommender.Load(file);
        Assert.Null(h.Model!.SegmentPopularity);
        foreach (var line in File.ReadAllLines(Path.Combine(dir, "hybrid-format1.expected.txt")))
        {
            var parts = line.Split(':');
            int user = int.Parse(parts[0]);
            var actual = string.Join(",", h.Recommend([user], 6)[0].Select(e =>
                $"{e.Item}/{BitConverter.SingleToInt32Bits(e.Score)}/{(int)e.Source}/{e.BecauseOfItem}"));
            Assert.Equal(parts[1], actual);
        }
    }

    [Fact]
    public void TrainingWindows_EndAtTheCutoff_TheRecentOneForCustomersWithHistoryOnly()
    {
        var windows = HybridRecommender.TrainingWindows(Options with { LabelDays = 5, TrainingWindows = 2, RecentWindowDays = 2 }, 35);
        Assert.Equal([(30, 35, true), (25, 30, true), (33, 35, false)], windows);
        Assert.Equal([(30, 35, true)], HybridRecommender.TrainingWindows(Options, 35));
    }

    [Fact]
    public void RecentWindow_AddsRankerRowsOfCustomersWithHistory_AndNoColdOnes()
    {
        var log = Synthetic(out var fav);
        var catalog = TwoPerProduct();
        var plain = new HybridRecommender(Options);
        plain.Fit(log, catalog, cutoffDay: 35);
        var recent = new HybridRecommender(Options with { RecentWindowDays = 2 });
        recent.Fit(log, catalog, cutoffDay: 35);

        // Rows of the window 33..35 by hand: warm users (history before day 33) who bought then, with a positive among their candidates.
        var model = new HybridModel(log.Window(int.MinValue, 33), catalog, 33, recent.Options);
        var labels = log.Window(33, 35).ItemSetsByUser();
        var users = Enumerable.Range(0, 150).Where(u => labels[u] is not null && model.HasHistory(u)).ToArray();
        int expected = HybridFeatures.Build(model, users).Where(c => c.Items.Any(labels[c.User].Contains)).Sum(c => c.Items.Length);
        Assert.True(expected > 0);
        Assert.Equal(plain.WarmTrainingRows + expected, recent.WarmTrainingRows);
        Assert.Equal(plain.RankerTrainingRows - plain.WarmTrainingRows, recent.RankerTrainingRows - recent.WarmTrainingRows);
        // The extra rows teach the same habit: the favourite still comes first.
        Assert.True(FavouriteFirst(recent, fav) > 120);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(-1)]
    public void RecentWindow_MustBeShorterThanTheLabelWindow(int days)
    {
        var log = Synthetic(out _);
        var catalog = TwoPerProduct();
        var e = Assert.Throws<ArgumentException>(() => new HybridRecommender(Options with { RecentWindowDays = days }).Fit(log, catalog, 35));
        Assert.Contains("RecentWindowDays", e.Message);
    }

    [Fact]
    public void Load_RejectsOtherStreams()
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) w.Write("something else");
        ms.Position = 0;
        Assert.Throws<InvalidDataException>(() => HybridRecommender.Load(ms));
    }
}
