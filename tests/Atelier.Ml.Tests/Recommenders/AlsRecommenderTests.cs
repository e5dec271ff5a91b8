using Atelier.Ml.Recommenders;
using Atelier.Ml.Sparse;

namespace Atelier.Ml.Tests.Recommenders;

public sealed class AlsRecommenderTests
{
    /// <summary>Two blocks: users 0–9 buy items 0–9, users 10–19 buy items 10–19, each missing one item of its block.</summary>
    private static CsrMatrix Blocks(int skipUser = -1)
    {
        var b = new CsrBuilder();
        for (int u = 0; u < 20; u++)
        {
            if (u == skipUser) continue;
            int start = u < 10 ? 0 : 10;
            for (int i = start; i < start + 10; i++)
                if (i - start != u % 10) b.Add(u, i, 1f);
        }
        return b.Build(20, 20);
    }

    [Fact]
    public void Recommends_TheMissingItemOfTheUsersBlock()
    {
        var als = new AlsRecommender(new AlsOptions(Factors: 4, Regularization: 0.1f, Alpha: 5f, Iterations: 10));
        var ui = Blocks();
        als.Fit(ui);
        var recs = als.Recommend([3, 14], ui, 1);
        Assert.Equal(3, recs.ItemsOf(0)[0]);
        Assert.Equal(14, recs.ItemsOf(1)[0]);
        var similar = als.SimilarItems(2, 5).ItemsOf(0).ToArray();
        Assert.All(similar, i => Assert.InRange(i, 0, 9));
    }

    [Fact]
    public void ItemsNobodyInteractedWith_HaveZeroFactors_AndAreNeverRecommended()
    {
        // The block matrix widened by 5 columns nobody bought: before, ALS ranked them by what was left of their random start.
        var b = new CsrBuilder();
        var blocks = Blocks();
        for (int u = 0; u < blocks.Rows; u++)
            foreach (int i in blocks.RowIndices(u)) b.Add(u, i, 1f);
        var ui = b.Build(20, 25);
        var als = new AlsRecommender(new AlsOptions(Factors: 4, Regularization: 0.1f, Alpha: 5f, Iterations: 3));
        als.Fit(ui);
        Assert.All(Enumerable.Range(20, 5), i => Assert.All(als.ItemFactors.AsSpan(i * 4, 4).ToArray(), v => Assert.Equal(0f, v)));
        var recs = als.Recommend(Enumerable.Range(0, 20).ToArray(), ui, 12, filterAlreadyLiked: true);
        Assert.DoesNotContain(recs.Items, i => i >= 20);
        // 9 bought, 10 in the block: only the other block's 10 and the missing one are left, never an unseen column.
        Assert.All(Enumerable.Range(0, 20), u => Assert.Equal(11, recs.ItemsOf(u).ToArray().Count(i => i >= 0)));
        using var saved = new MemoryStream();
        als.Save(saved);
        saved.Position = 0;
        var back = AlsRecommender.Load(saved);
        Assert.Equal(recs.Items, back.Recommend(Enumerable.Range(0, 20).ToArray(), ui, 12, filterAlreadyLiked: true).Items);
    }

    [Fact]
    public void Loss_DecreasesMonotonically()
    {
        var ui = Blocks();
        var als = new AlsRecommender(new AlsOptions(Factors: 8, Regularization: 0.05f, Alpha: 10f, Iterations: 8));
        var losses = new List<double>();
        als.OnIteration = (_, loss) => losses.Add(loss);
        als.Fit(ui);
        Assert.Equal(8, losses.Count);
        for (int k = 1; k < losses.Count; k++) Assert.True(losses[k] <= losses[k - 1] * (1 + 1e-6), $"loss rose at {k}: {losses[k - 1]} -> {losses[k]}");
        Assert.True(losses[^1] < losses[0]);
    }

    [Fact]
    public void FoldIn_OfNewUser_MatchesRefit()
    {
        var opts = new AlsOptions(Factors: 4, Regularization: 0.1f, Alpha: 5f, Iterations: 20, CgSteps: 4);
        var full = Blocks();
        var refit = new AlsRecommender(opts);
        refit.Fit(full);
        var without = new AlsRecommender(opts);
        without.Fit(Blocks(skipUser: 5));
        without.PartialFitUsers([5], full);
        // Compare the fold-in user's scores with the refit's over all items (cosine of score vectors).
        var a = Scores(refit, 5);
        var b = Scores(without, 5);
        double cos = Dot(a, b) / Math.Sqrt(Dot(a, a) * Dot(b, b));
        Assert.True(cos > 0.95, $"cosine {cos}");
        Assert.Equal(refit.Recommend([5], full, 1).Items[0], without.Recommend([5], full, 1).Items[0]);
    }

    [Fact]
    public void SaveLoad_RoundTripsBitExact()
    {
        var als = new AlsRecommender(new AlsOptions(Factors: 4, Iterations: 3));
        als.Fit(Blocks());
        using var ms = new MemoryStream();
        als.Save(ms);
        ms.Position = 0;
        var back = AlsRecommender.Load(ms);
        Assert.Equal(als.Options, back.Options);
        Assert.Equal(als.UserFactors, back.UserFactors);
        Assert.Equal(als.ItemFactors, back.ItemFactors);
    }

    private static double[] Scores(AlsRecommender m, int u)
    {
        var s = new double[m.ItemCount];
        for (int i = 0; i < s.Length; i++)
            for (int f = 0; f < m.Factors; f++) s[i] += m.UserFactors[u * m.Factors + f] * m.ItemFactors[i * m.Factors + f];
        return s;
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
