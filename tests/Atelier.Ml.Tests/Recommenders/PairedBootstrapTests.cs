using Atelier.Ml.Evaluation;

namespace Atelier.Ml.Tests.Recommenders;

public sealed class PairedBootstrapTests
{
    [Fact]
    public void ProportionalArms_HaveADegenerateInterval()
    {
        double[] b = [0.1, 0, 0.5, 1, 0.25, 0, 0.3];
        var a = b.Select(x => 1.25 * x).ToArray();
        var g = PairedBootstrap.RelativeGain(a, b, resamples: 500);
        Assert.Equal(0.25, g.Gain, 12);
        Assert.Equal(0.25, g.Lower, 9);
        Assert.Equal(0.25, g.Upper, 9);
    }

    [Fact]
    public void Quantiles_MatchTheExactBootstrapDistributionOfASmallSample()
    {
        // Five pairs: every one of the 5^5 resamples is equally likely, so the exact bootstrap distribution is enumerable.
        double[] a = [0.5, 0, 1, 0.2, 0.3], b = [0.4, 0.1, 0.5, 0.2, 0.3];
        var exact = new List<double>();
        for (int code = 0; code < 3125; code++)
        {
            double sa = 0, sb = 0;
            for (int t = 0, c = code; t < 5; t++, c /= 5) { sa += a[c % 5]; sb += b[c % 5]; }
            exact.Add(sa / sb - 1);
        }
        exact.Sort();
        double Q(double q) { double pos = q * (exact.Count - 1); int lo = (int)pos; return exact[lo] + (pos - lo) * (exact[Math.Min(lo + 1, exact.Count - 1)] - exact[lo]); }

        var g = PairedBootstrap.RelativeGain(a, b, resamples: 40_000, level: 0.8);
        Assert.Equal(2.0 / 1.5 - 1, g.Gain, 12);
        Assert.InRange(g.Lower, Q(0.1) - 0.02, Q(0.1) + 0.02);
        Assert.InRange(g.Upper, Q(0.9) - 0.02, Q(0.9) + 0.02);
        Assert.True(g.Lower < g.Gain && g.Gain < g.Upper);
    }

    [Fact]
    public void NinetyPercentIntervals_CoverTheTrueGainAboutNineTimesInTen()
    {
        // Per customer: b ~ Bernoulli(0.3) · U(0, 1), a = b with prob. 0.8 else a fresh draw with mean 1.2× b's: true gain 0.2.
        var rng = new Random(5);
        int covered = 0, runs = 200;
        for (int run = 0; run < runs; run++)
        {
            var a = new double[300];
            var b = new double[300];
            for (int r = 0; r < a.Length; r++)
            {
                b[r] = rng.NextDouble() < 0.3 ? rng.NextDouble() : 0;
                a[r] = rng.NextDouble() < 0.8 ? 1.2 * b[r] : (rng.NextDouble() < 0.3 ? 1.2 * rng.NextDouble() : 0);
            }
            var g = PairedBootstrap.RelativeGain(a, b, resamples: 500, seed: run);
            if (g.Lower <= 0.2 && 0.2 <= g.Upper) covered++;
        }
        Assert.InRange(covered, 160, 196);
    }

    [Fact]
    public void RejectsUnpairedOrEmptyInput()
    {
        Assert.Throws<ArgumentException>(() => PairedBootstrap.RelativeGain([1.0], [1.0, 2.0]));
        Assert.Throws<ArgumentException>(() => PairedBootstrap.RelativeGain([], []));
        Assert.Throws<ArgumentException>(() => PairedBootstrap.RelativeGain([1.0], [1.0], level: 1));
    }
}
