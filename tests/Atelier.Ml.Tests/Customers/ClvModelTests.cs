using Atelier.Ml.Customers;

namespace Atelier.Ml.Tests.Customers;

public sealed class ClvModelTests
{
    [Fact]
    public void BgNbdLikelihoodMatchesHandComputedCases()
    {
        // r=α=a=b=1, x=0, T=1: B(1,1)/B(1,1) · Γ(1)·1/(Γ(1)·2) = 0.5.
        Assert.Equal(Math.Log(0.5), new BgNbd(1, 1, 1, 1).LogLikelihood(new RepeatSummary(0, 0, 1)), 10);
        // r=α=a=1, b=2, x=1, tx=0.5, T=1:
        //   B(1,3)/B(1,2) · Γ(2)/(Γ(1)·2²) = (⅓/½)·¼ = 1/6
        //   B(2,2)/B(1,2) · Γ(2)/(Γ(1)·1.5²) = (⅙/½)/2.25 = 4/27        → total 1/6 + 4/27
        Assert.Equal(Math.Log(1.0 / 6 + 4.0 / 27), new BgNbd(1, 1, 1, 2).LogLikelihood(new RepeatSummary(1, 0.5, 1)), 10);
    }

    [Fact]
    public void SpecialFunctionsAndNelderMeadAreAccurate()
    {
        Assert.Equal(Math.Log(24), SpecialFunctions.LogGamma(5), 12);
        Assert.Equal(0.5 * Math.Log(Math.PI), SpecialFunctions.LogGamma(0.5), 12);
        Assert.Equal(-Math.Log(1 - 0.7) / 0.7, SpecialFunctions.Hyp2F1(1, 1, 2, 0.7), 10);
        var (x, v, _) = NelderMead.Minimise(p => Math.Pow(1 - p[0], 2) + 100 * Math.Pow(p[1] - p[0] * p[0], 2), [-1.2, 1]);
        Assert.Equal(1, x[0], 3); Assert.Equal(1, x[1], 3); Assert.True(v < 1e-6);
    }

    [Fact]
    public void BgNbdFitRecoversSimulatedParameters()
    {
        // Simulate the generative story (Fader, Hardie & Lee 2005) for 4000 customers observed 52 weeks.
        var truth = new BgNbd(0.6, 4, 0.8, 2.5);
        var rng = new Random(17);
        var data = new RepeatSummary[4000];
        for (var i = 0; i < data.Length; i++)
        {
            var lambda = Gamma(rng, truth.R) / truth.Alpha;
            var g1 = Gamma(rng, truth.A); var p = g1 / (g1 + Gamma(rng, truth.B));
            double t = 0, tx = 0; var x = 0; const double T = 52;
            while (true)
            {
                t += -Math.Log(1 - rng.NextDouble()) / lambda;
                if (t > T) break;
                x++; tx = t;
                if (rng.NextDouble() < p) break;
            }
            data[i] = new RepeatSummary(x, tx, T);
        }
        var fit = BgNbd.Fit(data);
        Assert.True(fit.TotalLogLikelihood(data) >= truth.TotalLogLikelihood(data) - 1e-6);
        Assert.InRange(fit.R, 0.6 * 0.8, 0.6 * 1.2);
        Assert.InRange(fit.Alpha, 4 * 0.75, 4 * 1.25);
        Assert.InRange(fit.A, 0.8 * 0.6, 0.8 * 1.4);
        Assert.InRange(fit.B, 2.5 * 0.6, 2.5 * 1.4);
        // Expected repeat purchases in the next 52 weeks agree with the truth's in aggregate.
        double ef = 0, et = 0;
        foreach (var c in data) { ef += fit.ExpectedPurchases(c, 52); et += truth.ExpectedPurchases(c, 52); }
        Assert.Equal(1, ef / et, 1);
    }

    [Fact]
    public void BgNbdConditionalQuantitiesBehave()
    {
        var m = new BgNbd(0.24, 4.41, 0.79, 2.43); // CDNOW estimates from the paper
        Assert.Equal(1, m.ProbabilityAlive(new RepeatSummary(0, 0, 30)), 12);
        // long silence after frequent buying ⇒ probably dead; recent buying ⇒ probably alive
        Assert.True(m.ProbabilityAlive(new RepeatSummary(10, 5, 39)) < 0.2);
        Assert.True(m.ProbabilityAlive(new RepeatSummary(10, 38, 39)) > 0.9);
        // The paper's worked example (Section 5): x=2, tx=30.43, T=38.86 → about 1.226 purchases in 39 weeks.
        Assert.Equal(1.226, m.ExpectedPurchases(new RepeatSummary(2, 30.43, 38.86), 39), 2);
        var pNone = m.ProbabilityNoPurchase(new RepeatSummary(2, 30.43, 38.86), 39);
        Assert.InRange(pNone, 0, 1);
    }

    [Fact]
    public void GammaGammaFitRecoversSimulatedParameters()
    {
        // z ~ Gamma(p, ν), ν ~ Gamma(q, γ) (rate); customers have 2..10 transactions.
        double p = 6, q = 4, gamma = 15;
        var rng = new Random(9);
        var data = new (double X, double MeanValue)[4000];
        for (var i = 0; i < data.Length; i++)
        {
            var nu = Gamma(rng, q) / gamma;
            var x = rng.Next(2, 11);
            double s = 0;
            for (var k = 0; k < x; k++) s += Gamma(rng, p) / nu;
            data[i] = (x, s / x);
        }
        var fit = GammaGamma.Fit(data);
        Assert.InRange(fit.P, p * 0.8, p * 1.2);
        Assert.InRange(fit.Q, q * 0.75, q * 1.25);
        Assert.InRange(fit.Gamma, gamma * 0.7, gamma * 1.3);
        // posterior mean spend shrinks the observed mean toward the population mean p·γ/(q−1)
        var pop = fit.P * fit.Gamma / (fit.Q - 1);
        var e = fit.ExpectedAverageValue(2, 3 * pop);
        Assert.InRange(e, pop, 3 * pop);
    }

    /// <summary>Marsaglia–Tsang Gamma(shape, 1) sampler (shape &lt; 1 via the U^(1/shape) boost).</summary>
    private static double Gamma(Random rng, double shape)
    {
        if (shape < 1) return Gamma(rng, shape + 1) * Math.Pow(1 - rng.NextDouble(), 1 / shape);
        var d = shape - 1.0 / 3; var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double z, v;
            do { z = ClusteringTests.Normal(rng); v = 1 + c * z; } while (v <= 0);
            v = v * v * v;
            var u = 1 - rng.NextDouble();
            if (Math.Log(u) < 0.5 * z * z + d - d * v + d * Math.Log(v)) return d * v;
        }
    }
}
