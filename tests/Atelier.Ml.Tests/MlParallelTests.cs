using Atelier.Ml.Recommenders;
using Atelier.Ml.Sparse;
using Atelier.Ml.Trees;

namespace Atelier.Ml.Tests;

public sealed class MlParallelTests
{
    [Fact]
    public async Task ALimitHoldsForItsOwnFlowAndTheTasksItStartsOnly()
    {
        Assert.Equal(-1, MlParallel.Options.MaxDegreeOfParallelism);
        var release = new TaskCompletionSource();
        // A flow that started before the limit keeps all cores.
        var sibling = Task.Run(async () => { await release.Task; return MlParallel.Options.MaxDegreeOfParallelism; });
        using (MlParallel.Limit(1))
        {
            Assert.Equal(1, MlParallel.Options.MaxDegreeOfParallelism);
            Assert.Equal(1, await Task.Run(() => MlParallel.Options.MaxDegreeOfParallelism));
            var seen = 0;
            var concurrent = 0;
            Parallel.For(0, 64, MlParallel.Options, _ =>
            {
                var now = Interlocked.Increment(ref concurrent);
                InterlockedMax(ref seen, now);
                Thread.SpinWait(20_000);
                Interlocked.Decrement(ref concurrent);
            });
            Assert.Equal(1, seen);
            release.SetResult();
            Assert.Equal(-1, await sibling);
        }
        Assert.Equal(-1, MlParallel.Options.MaxDegreeOfParallelism);
        using (MlParallel.Limit(0)) Assert.Equal(1, MlParallel.Options.MaxDegreeOfParallelism); // never fewer than one
    }

    [Fact]
    public void ResultsDoNotDependOnHowManyCoresTheLoopsGet()
    {
        var rng = new Random(3);
        var b = new CsrBuilder();
        for (int u = 0; u < 300; u++)
            for (int k = 0; k < 8; k++) b.Add(u, rng.Next(120), 1f + rng.Next(3));
        var matrix = b.Build(300, 120);
        var options = new AlsOptions(Factors: 8, Regularization: 0.05f, Alpha: 10f, Iterations: 5);
        var all = new AlsRecommender(options);
        all.Fit(matrix);
        var one = new AlsRecommender(options);
        using (MlParallel.Limit(1)) one.Fit(matrix);
        Assert.Equal(all.UserFactors, one.UserFactors);
        Assert.Equal(all.ItemFactors, one.ItemFactors);

        int rows = 4000, cols = 6;
        var x = new float[rows * cols];
        var y = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++) x[r * cols + c] = (float)rng.NextDouble();
            y[r] = x[r * cols] + x[r * cols + 1] * x[r * cols + 2] > 0.6f ? 1f : 0f;
        }
        var gbdt = new GbdtOptions { Trees = 20, FeatureFraction = 0.8f, BaggingFraction = 0.8f };
        var treesAll = GradientBoostedTrees.Fit(x, rows, cols, y, gbdt);
        GradientBoostedTrees treesOne;
        using (MlParallel.Limit(1)) treesOne = GradientBoostedTrees.Fit(x, rows, cols, y, gbdt);
        for (int r = 0; r < rows; r += 97)
            Assert.Equal(treesAll.PredictRaw(x.AsSpan(r * cols, cols)), treesOne.PredictRaw(x.AsSpan(r * cols, cols)));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}
