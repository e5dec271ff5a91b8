using Atelier.Ml.Customers;

namespace Atelier.Ml.Tests.Customers;

public sealed class ClusteringTests
{
    private static (float[] Data, int Rows) Blobs(int perBlob, int seed, params (float X, float Y)[] centres)
    {
        var rng = new Random(seed);
        var data = new List<float>();
        foreach (var (cx, cy) in centres)
            for (var i = 0; i < perBlob; i++)
            {
                data.Add(cx + (float)(rng.NextDouble() - 0.5)); data.Add(cy + (float)(rng.NextDouble() - 0.5));
            }
        return ([.. data], perBlob * centres.Length);
    }

    [Fact]
    public void LloydMatchesANaiveReferenceFromTheSameStart()
    {
        var (data, n) = Blobs(60, 1, (0, 0), (3, 0), (0, 3), (2, 2));
        var init = KMeans.PlusPlusInit(data, n, 2, 4, new Random(5));
        var fast = KMeans.Lloyd(data, n, 2, init, 100);
        // Naive: plain loops, recompute everything each iteration.
        var centres = init.Select(v => (double)v).ToArray();
        var assign = new int[n];
        for (var iter = 0; iter < 100; iter++)
        {
            var changed = false;
            for (var i = 0; i < n; i++)
            {
                var best = 0; var bd = double.MaxValue;
                for (var c = 0; c < 4; c++)
                {
                    var dd = Math.Pow(data[2 * i] - centres[2 * c], 2) + Math.Pow(data[2 * i + 1] - centres[2 * c + 1], 2);
                    if (dd < bd) { bd = dd; best = c; }
                }
                if (iter == 0 || assign[i] != best) changed = true;
                assign[i] = best;
            }
            if (!changed) break;
            for (var c = 0; c < 4; c++)
            {
                var members = Enumerable.Range(0, n).Where(i => assign[i] == c).ToList();
                if (members.Count == 0) continue;
                centres[2 * c] = members.Average(i => (double)data[2 * i]);
                centres[2 * c + 1] = members.Average(i => (double)data[2 * i + 1]);
            }
        }
        Assert.Equal(assign, fast.Assignments);
        for (var j = 0; j < centres.Length; j++) Assert.Equal(centres[j], fast.Centroids[j], 4);
    }

    [Fact]
    public void SilhouetteMatchesBruteForceAndPicksTheTrueK()
    {
        var (data, n) = Blobs(40, 2, (0, 0), (6, 0), (0, 6));
        var sils = new Dictionary<int, double>();
        for (var k = 2; k <= 5; k++)
        {
            var km = KMeans.Fit(data, n, 2, k, restarts: 5, seed: 3);
            sils[k] = KMeans.Silhouette(data, n, 2, km.Assignments, k);
            Assert.Equal(NaiveSilhouette(data, n, km.Assignments), sils[k], 4);
        }
        Assert.Equal(3, sils.MaxBy(kv => kv.Value).Key);
        Assert.True(sils[3] > 0.8);
    }

    private static double NaiveSilhouette(float[] x, int n, int[] a)
    {
        double Dist(int i, int j) => Math.Sqrt(Math.Pow(x[2 * i] - x[2 * j], 2) + Math.Pow(x[2 * i + 1] - x[2 * j + 1], 2));
        double total = 0;
        for (var i = 0; i < n; i++)
        {
            var own = Enumerable.Range(0, n).Where(j => j != i && a[j] == a[i]).ToList();
            if (own.Count == 0) continue;
            var ai = own.Average(j => Dist(i, j));
            var bi = a.Distinct().Where(c => c != a[i]).Min(c => Enumerable.Range(0, n).Where(j => a[j] == c).Average(j => Dist(i, j)));
            total += (bi - ai) / Math.Max(ai, bi);
        }
        return total / n;
    }

    [Fact]
    public void GaussianMixtureRecoversTwoComponents()
    {
        var rng = new Random(4);
        var data = new List<float>();
        for (var i = 0; i < 3000; i++) data.Add((float)(Normal(rng) * 1.0 + 0));   // weight 0.75, mean 0, var 1
        for (var i = 0; i < 1000; i++) data.Add((float)(Normal(rng) * 0.5 + 6)); // weight 0.25, mean 6, var 0.25
        var g = GaussianMixture.Fit([.. data], 4000, 1, 2, seed: 1);
        var big = g.Means[0] < g.Means[1] ? 0 : 1; var small = 1 - big;
        Assert.Equal(0.75, g.Weights[big], 2);
        Assert.Equal(0, g.Means[big], 1);
        Assert.Equal(6, g.Means[small], 1);
        Assert.Equal(1, g.Variances[big], 1);
        Assert.Equal(0.25, g.Variances[small], 1);
    }

    internal static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    [Fact]
    public void RfmQuintilesAndSegmentsFollowTheRuleTable()
    {
        double[] recency = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        double[] freq = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
        var scores = RfmScoring.Score(recency, freq, freq);
        Assert.Equal([5, 5, 4, 4, 3, 3, 2, 2, 1, 1], scores.Select(s => s.R));
        Assert.Equal([5, 5, 4, 4, 3, 3, 2, 2, 1, 1], scores.Select(s => s.F));
        Assert.Equal(RfmSegment.Champions, scores[0].Segment);
        Assert.Equal(RfmSegment.Loyal, scores[2].Segment);
        Assert.Equal(RfmSegment.NeedAttention, scores[4].Segment);
        Assert.Equal(RfmSegment.Hibernating, scores[6].Segment);
        Assert.Equal(RfmSegment.Lost, scores[8].Segment);
        Assert.Equal(RfmSegment.CantLose, RfmScoring.Segment(1, 5));
        Assert.Equal(RfmSegment.AtRisk, RfmScoring.Segment(2, 3));
        Assert.Equal(RfmSegment.New, RfmScoring.Segment(5, 1));
        Assert.Equal(RfmSegment.Promising, RfmScoring.Segment(4, 1));
        Assert.Equal(RfmSegment.PotentialLoyalists, RfmScoring.Segment(5, 3));
        Assert.Equal(RfmSegment.AboutToSleep, RfmScoring.Segment(3, 2));
        // every cell of the grid has a name
        for (var r = 1; r <= 5; r++) for (var f = 1; f <= 5; f++) Assert.True(Enum.IsDefined(RfmScoring.Segment(r, f)));
    }

    [Fact]
    public void TiedValuesShareOneScoreWhateverTheRowOrder()
    {
        // 7 one-order customers, then 2, 3, 4: mid-rank of the tie block = 3 of 0..9 → quintile 1 (score 2).
        double[] freq = [1, 1, 1, 1, 1, 1, 1, 2, 3, 4];
        Assert.Equal([2, 2, 2, 2, 2, 2, 2, 4, 5, 5], RfmScoring.Quintiles(freq, descendingIsBetter: true));
        double[] shuffled = [4, 1, 1, 3, 1, 1, 2, 1, 1, 1];
        Assert.Equal([5, 2, 2, 5, 2, 2, 4, 2, 2, 2], RfmScoring.Quintiles(shuffled, descendingIsBetter: true));
        // Recency: fewer days is better, ties again share a score.
        double[] recency = [30, 30, 5, 400, 400];
        Assert.Equal([4, 4, 5, 2, 2], RfmScoring.Quintiles(recency, descendingIsBetter: false));
    }

    [Fact]
    public void ClusterNamesComeFromTheProfile()
    {
        Assert.Equal("High-value regulars", ClusterProfiler.Name(-0.8, 0.9));
        Assert.Equal("Lapsed one-timers", ClusterProfiler.Name(0.7, -0.8));
        Assert.Equal("Lapsing big spenders", ClusterProfiler.Name(0.7, 0.8));
        Assert.Equal("Recent newcomers", ClusterProfiler.Name(-0.3, -0.9));
    }
}
