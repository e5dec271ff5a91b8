using Atelier.Ml.Trees;

namespace Atelier.Ml.Tests.Trees;

public sealed class GradientBoostedTreesTests
{
    [Fact]
    public void RegressionLearnsAStepFunctionExactly()
    {
        // y = 1 below 3, 2 on [3,7), 5 from 7: one tree with three leaves, L2 = 0 and rate 1 is exact.
        var n = 100;
        var x = new float[n]; var y = new float[n];
        for (var i = 0; i < n; i++) { x[i] = i / 10f; y[i] = x[i] < 3 ? 1 : x[i] < 7 ? 2 : 5; }
        var m = GradientBoostedTrees.Fit(x, n, 1, y, new GbdtOptions
        {
            Objective = GbdtObjective.Regression, Trees = 1, LearningRate = 1, MaxLeaves = 3, MinDataInLeaf = 1, L2 = 0,
        });
        for (var i = 0; i < n; i++) Assert.Equal(y[i], m.PredictRaw([x[i]]), 4);
        Assert.Equal(2f, m.PredictRaw([5.55f]), 4);
    }

    [Fact]
    public void XorNeedsDepthTwo()
    {
        // Unequal cell sizes so the first split has non-zero gain; additive stumps cannot represent XOR.
        var cells = new (float A, float B, int Count)[] { (0, 0, 10), (0, 1, 14), (1, 0, 18), (1, 1, 22) };
        var xs = new List<float>(); var ys = new List<float>();
        foreach (var (a, b, c) in cells)
            for (var i = 0; i < c; i++) { xs.Add(a); xs.Add(b); ys.Add(a != b ? 1 : 0); }
        var rows = ys.Count;
        var opts = new GbdtOptions { Objective = GbdtObjective.Regression, Trees = 60, LearningRate = 0.5f, MinDataInLeaf = 1, L2 = 0 };
        var stumps = GradientBoostedTrees.Fit([.. xs], rows, 2, [.. ys], opts with { MaxLeaves = 2 });
        var deep = GradientBoostedTrees.Fit([.. xs], rows, 2, [.. ys], opts with { MaxLeaves = 4 });
        double stumpErr = 0;
        foreach (var (a, b, _) in cells)
        {
            float target = a != b ? 1 : 0;
            Assert.Equal(target, deep.PredictRaw([a, b]), 3);
            stumpErr = Math.Max(stumpErr, Math.Abs(stumps.PredictRaw([a, b]) - target));
        }
        Assert.True(stumpErr > 0.2, $"stumps unexpectedly fit XOR (max error {stumpErr})");
    }

    [Fact]
    public void SeparableBinaryCaseIsClassifiedPerfectly()
    {
        var rng = new Random(1);
        var n = 400;
        var x = new float[n * 2]; var y = new float[n];
        for (var i = 0; i < n; i++)
        {
            x[2 * i] = (float)rng.NextDouble(); x[2 * i + 1] = (float)rng.NextDouble(); // second column is noise
            y[i] = x[2 * i] > 0.3f ? 1 : 0;
        }
        var m = GradientBoostedTrees.Fit(x, n, 2, y, new GbdtOptions { Trees = 50, MinDataInLeaf = 5 });
        for (var i = 0; i < n; i++)
        {
            var p = m.PredictProbability(x.AsSpan(2 * i, 2));
            Assert.True(y[i] == 1 ? p > 0.9f : p < 0.1f, $"row {i}: x={x[2 * i]} p={p}");
        }
        var gain = m.FeatureImportanceGain();
        Assert.True(gain[0] > 10 * gain[1]);
    }

    [Fact]
    public void MissingValuesGoToTheBetterSide()
    {
        // Missing rows behave like high values: the split must send NaN right.
        var n = 300;
        var x = new float[n]; var y = new float[n];
        for (var i = 0; i < n; i++)
        {
            x[i] = i % 3 == 0 ? float.NaN : i;
            y[i] = float.IsNaN(x[i]) || x[i] > 150 ? 10 : 0;
        }
        var m = GradientBoostedTrees.Fit(x, n, 1, y, new GbdtOptions
        {
            Objective = GbdtObjective.Regression, Trees = 1, LearningRate = 1, MaxLeaves = 2, MinDataInLeaf = 1, L2 = 0,
        });
        Assert.Equal(10f, m.PredictRaw([float.NaN]), 4);
        Assert.Equal(10f, m.PredictRaw([200f]), 4);
        Assert.Equal(0f, m.PredictRaw([20f]), 4);
    }

    [Fact]
    public void MatchesANaiveExactSplitReference()
    {
        // 150 rows: every feature has fewer distinct values than bins, so histogram splits are exact splits.
        var rng = new Random(7);
        int n = 150, cols = 3;
        var flat = new float[n * cols]; var rowsArr = new float[n][]; var y = new float[n];
        for (var i = 0; i < n; i++)
        {
            rowsArr[i] = new float[cols];
            for (var f = 0; f < cols; f++) flat[i * cols + f] = rowsArr[i][f] = (float)rng.NextDouble();
            y[i] = (float)(Math.Sin(6 * rowsArr[i][0]) + rowsArr[i][1] * rowsArr[i][2] + 0.1 * rng.NextDouble());
        }
        var opts = new GbdtOptions
        {
            Objective = GbdtObjective.Regression, Trees = 8, LearningRate = 0.3f, MaxLeaves = 6, MinDataInLeaf = 5, L2 = 1,
        };
        var fast = GradientBoostedTrees.Fit(flat, n, cols, y, opts);
        var naive = NaiveExactGbdt.Fit(rowsArr, y, opts.Trees, opts.LearningRate, opts.MaxLeaves, opts.MinDataInLeaf, opts.L2);
        for (var i = 0; i < n; i++) Assert.Equal(naive.TrainingScores[i], fast.PredictRaw(rowsArr[i]), 3);
        // and the model really learned something
        var mse0 = y.Select(v => Math.Pow(v - y.Average(), 2)).Average();
        var mse = Enumerable.Range(0, n).Select(i => Math.Pow(y[i] - fast.PredictRaw(rowsArr[i]), 2)).Average();
        Assert.True(mse < 0.5 * mse0);
    }

    [Fact]
    public void SaveLoadGivesBitExactPredictionsAndBatchMatchesSingle()
    {
        var (x, y, n, cols) = RandomBinary(500, 5, seed: 3, missingShare: 0.1);
        var m = GradientBoostedTrees.Fit(x, n, cols, y, new GbdtOptions
        {
            Trees = 30, FeatureFraction = 0.8f, BaggingFraction = 0.7f, MaxBins = 16,
        });
        using var ms = new MemoryStream();
        m.Save(ms);
        ms.Position = 0;
        var back = GradientBoostedTrees.Load(ms);
        Assert.Equal(m.FeatureCount, back.FeatureCount);
        var batch = new float[n];
        back.PredictRaw(x, n, batch);
        for (var i = 0; i < n; i++)
        {
            var a = m.PredictRaw(x.AsSpan(i * cols, cols));
            Assert.Equal(BitConverter.SingleToInt32Bits(a), BitConverter.SingleToInt32Bits(back.PredictRaw(x.AsSpan(i * cols, cols))));
            Assert.Equal(BitConverter.SingleToInt32Bits(a), BitConverter.SingleToInt32Bits(batch[i]));
        }
        Assert.Equal(m.FeatureImportanceGain(), back.FeatureImportanceGain());
    }

    [Fact]
    public void LambdaRankOrdersDocumentsAndImprovesNdcg()
    {
        // 40 queries × 8 docs; relevance = floor of feature 0 (0..3); feature 1 is noise.
        var rng = new Random(5);
        int q = 40, per = 8, n = q * per, cols = 2;
        var x = new float[n * cols]; var y = new float[n];
        for (var i = 0; i < n; i++)
        {
            x[i * cols] = (float)(rng.NextDouble() * 4); x[i * cols + 1] = (float)rng.NextDouble();
            y[i] = MathF.Floor(x[i * cols]);
        }
        var groups = Enumerable.Repeat(per, q).ToArray();
        var before = MeanNdcg(x, y, cols, per, _ => 0f, rng); // random order baseline (ties shuffled)
        var m = GradientBoostedTrees.Fit(x, n, cols, y, new GbdtOptions
        {
            Objective = GbdtObjective.LambdaRank, Trees = 50, MinDataInLeaf = 5, MaxLeaves = 8, LambdaRankTruncation = 8,
        }, groups);
        var after = MeanNdcg(x, y, cols, per, r => m.PredictRaw(x.AsSpan(r * cols, cols)), rng);
        Assert.True(after > 0.99, $"NDCG after training {after}");
        Assert.True(after > before + 0.05, $"NDCG {before} -> {after}");
        // a fresh query: scores must sort the four relevance levels correctly
        float[] levels = [3.5f, 0.5f, 2.5f, 1.5f];
        var scores = levels.Select(v => m.PredictRaw([v, 0.5f])).ToArray();
        Assert.True(scores[0] > scores[2] && scores[2] > scores[3] && scores[3] > scores[1]);
    }

    private static double MeanNdcg(float[] x, float[] y, int cols, int per, Func<int, float> score, Random rng)
    {
        double total = 0;
        var groups = y.Length / per;
        for (var g = 0; g < groups; g++)
        {
            var idx = Enumerable.Range(g * per, per).OrderBy(_ => rng.Next()).ToArray();
            var ranked = idx.OrderByDescending(score).ToArray(); // stable: ties keep the shuffled order
            double dcg = 0, idcg = 0;
            var ideal = idx.Select(i => y[i]).OrderByDescending(v => v).ToArray();
            for (var k = 0; k < per; k++)
            {
                dcg += (Math.Pow(2, y[ranked[k]]) - 1) / Math.Log2(k + 2);
                idcg += (Math.Pow(2, ideal[k]) - 1) / Math.Log2(k + 2);
            }
            total += idcg > 0 ? dcg / idcg : 1;
        }
        return total / groups;
    }

    internal static (float[] X, float[] Y, int N, int Cols) RandomBinary(int n, int cols, int seed, double missingShare)
    {
        var rng = new Random(seed);
        var x = new float[n * cols]; var y = new float[n];
        for (var i = 0; i < n; i++)
        {
            double z = 0;
            for (var f = 0; f < cols; f++)
            {
                var v = (float)(rng.NextDouble() * 2 - 1);
                z += v * (f + 1);
                x[i * cols + f] = rng.NextDouble() < missingShare ? float.NaN : v;
            }
            y[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-2 * z)) ? 1 : 0;
        }
        return (x, y, n, cols);
    }
}
