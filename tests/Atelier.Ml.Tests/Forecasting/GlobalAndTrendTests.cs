using Atelier.Ml.Forecasting;
using Atelier.Services.Forecasting;

namespace Atelier.Ml.Tests.Forecasting;

public sealed class GlobalAndTrendTests
{
    [Fact]
    public void GlobalGbdtLearnsSharedSeasonalShapeAcrossSeries()
    {
        // 60 series of different sizes sharing a period-4 pattern; naive cannot know the pattern, the global model can
        var rng = new Random(11);
        double[] pattern = [1.5, 0.7, 1.0, 0.8];
        int len = 48, cut = 44;
        var inputs = new List<GlobalBoostedForecaster.Input>();
        for (int s = 0; s < 60; s++)
        {
            double size = 5 + 50 * rng.NextDouble();
            var y = new double[len];
            for (int t = 0; t < len; t++) y[t] = Math.Round(size * pattern[t % 4] * (0.9 + 0.2 * rng.NextDouble()));
            inputs.Add(new GlobalBoostedForecaster.Input(y));
        }
        var calendar = Enumerable.Range(0, len + 4).Select(t => t % 4).ToArray();
        var f = GlobalBoostedForecaster.Forecast(inputs, inputs, calendar, cut, 4);
        double gbdtErr = 0, naiveErr = 0;
        for (int s = 0; s < inputs.Count; s++)
        {
            var y = inputs[s].Values;
            var naive = Baselines.Naive(y.AsSpan(0, cut), 4);
            gbdtErr += ForecastMetrics.Mae(y.AsSpan(cut, 4), f[s].Mean);
            naiveErr += ForecastMetrics.Mae(y.AsSpan(cut, 4), naive.Mean);
            Assert.All(f[s].Sigma, v => Assert.True(v > 0));
        }
        Assert.True(gbdtErr < 0.5 * naiveErr, $"gbdt {gbdtErr} naive {naiveErr}");
    }

    [Fact]
    public void TrendScorerLearnsMeanReversionAndBeatsLastGrowth()
    {
        // groups follow noisy flat demand plus persistent linear growth for a few: the scorer should learn that
        // recent growth partly reverts (noise) and rank the truly growing groups above last-period spikes
        var rng = new Random(2);
        int weeks = 110, groups = 30;
        var y = new double[groups][];
        for (int g = 0; g < groups; g++)
        {
            y[g] = new double[weeks];
            double slope = g < 5 ? 0.02 : 0;
            for (int t = 0; t < weeks; t++)
                y[g][t] = Math.Max(0, 20 * Math.Exp(slope * t) * (1 + 0.1 * Math.Sin(2 * Math.PI * t / 52)) + 6 * (rng.NextDouble() - 0.5) * 2);
        }
        var r = TrendBacktest.Run("synthetic", y, new double[groups][], window: 4, minTrainOrigins: 8);
        Assert.True(r.Origins > 10);
        Assert.True(r.Recall5 > r.BaselineRecall5, $"{r.Recall5} vs {r.BaselineRecall5}");
        Assert.Equal(1, TrendScorer.RecallAtK([1, 2, 3], [3, 2, 1], 3), 12);
        Assert.Equal(0.5, TrendScorer.RecallAtK([1, 9], [1, 2], 2), 12);
    }

    [Fact]
    public void AutoChoiceUsesOnlyOriginsWhoseHorizonHasPassed()
    {
        var rng = new Random(4);
        var y = new double[40];
        for (int t = 0; t < 40; t++) y[t] = 10 + 5 * rng.NextDouble();
        var set = new SeriesSet("t", "weekly", 52, ["s"], [y], [.. Enumerable.Range(0, 40).Select(i => new DateOnly(2020, 1, 1).AddDays(7 * i))]);
        var bt = new Backtest(set, 2, evalOrigins: 2, earlierOrigins: 4);
        Assert.Equal([28, 30, 32, 34, 36, 38], bt.Cuts);
        // "late" is perfect from cut 32 on and far off before; "ok" is off by 1 everywhere
        PointForecast[][] Make(Func<int, int, double> err) => [.. Enumerable.Range(0, 6).Select(c =>
            new[] { new PointForecast([.. Enumerable.Range(0, 2).Select(h => y[bt.Cuts[c] + h] + err(c, h))], [1.0, 1.0]) })];
        bt.Add("late", Make((c, _) => bt.Cuts[c] >= 32 ? 0 : 20));
        bt.Add("ok", Make((_, _) => 1));
        bt.AddAuto("auto", ["late", "ok"], 2, out var chosen);
        Assert.Equal("ok", chosen[2][0]);   // at cut 32 only the origins 28 and 30 are finished
        Assert.Equal("ok", chosen[3][0]);   // at 34: origins 30 (bad) and 32 (perfect) → mean 10 > 1
        Assert.Equal("late", chosen[4][0]); // at 36: origins 32 and 34, both perfect
        Assert.Equal(y[36], bt["auto"][4][0].Mean[0], 12);
    }
}
