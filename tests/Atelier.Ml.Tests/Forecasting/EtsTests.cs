using Atelier.Ml.Forecasting;

namespace Atelier.Ml.Tests.Forecasting;

public sealed class EtsTests
{
    private static readonly double[] Small = [12, 15, 11, 14, 18, 16, 15, 19, 21, 18, 20, 23];

    /// <summary>Simple exponential smoothing by hand: l_t = l_{t-1} + α(y_t - l_{t-1}).</summary>
    private static double SesSse(double[] y, double alpha, double l0, out double level)
    {
        double l = l0, sse = 0;
        foreach (var v in y) { double e = v - l; sse += e * e; l += alpha * e; }
        level = l;
        return sse;
    }

    [Fact]
    public void SesRecursionMatchesHandComputation()
    {
        // hand: l0=12, α=0.5 → one-step forecasts 12, 12, 13.5, 12.25, 13.125 … (first three checked literally)
        var spec = new EtsSpec(EtsError.Additive, EtsTrend.None, EtsSeason.None);
        double[] y = [12, 15, 11];
        EtsRecursion.Run(y, spec, [0.5, 12], [], [], out double level, out _, out double sse);
        // errors 0, 3, 11-13.5=-2.5 → SSE 15.25; final level 13.5 - 1.25 = 12.25
        Assert.Equal(15.25, sse, 10);
        Assert.Equal(12.25, level, 10);
    }

    [Fact]
    public void AnnFitMatchesBruteForceMaximumLikelihood()
    {
        var spec = new EtsSpec(EtsError.Additive, EtsTrend.None, EtsSeason.None);
        var model = EtsFitter.Fit(Small, spec, maxEvaluations: 2000)!;
        // independent grid search over (α, l0) for the minimum SSE
        double best = double.MaxValue, ba = 0, bl = 0;
        for (double a = 0.01; a < 1; a += 0.002)
            for (double l0 = 8; l0 <= 18; l0 += 0.02)
            {
                double s = SesSse(Small, a, l0, out _);
                if (s < best) { best = s; ba = a; bl = l0; }
            }
        Assert.InRange(model.Sse, 0, best + 1e-3);
        Assert.Equal(ba, model.Alpha, 0.01);
        Assert.Equal(bl, model.InitialLevel, 0.1);
        SesSse(Small, model.Alpha, model.InitialLevel, out double lastLevel);
        var f = model.Forecast(3);
        Assert.All(f.Mean, m => Assert.Equal(lastLevel, m, 6));
        // log-likelihood and AICc by formula: k = α, l0, σ² → 3
        int n = Small.Length;
        double ll = -0.5 * n * (Math.Log(2 * Math.PI * model.Sse / n) + 1);
        Assert.Equal(ll, model.LogLikelihood, 8);
        double aic = -2 * ll + 2 * 3;
        Assert.Equal(aic + 2.0 * 3 * 4 / (n - 3 - 1), model.Aicc, 8);
        // h-step sd: σ·sqrt(1 + (h-1)α²)
        double sigma = Math.Sqrt(model.Sse / n);
        Assert.Equal(sigma * Math.Sqrt(1 + 2 * model.Alpha * model.Alpha), f.Sigma[2], 8);
    }

    /// <summary>Textbook multiplicative-error forms (Hyndman et al. 2008, Table 2.3) with relative error ε.</summary>
    private static double NaiveMadm(double[] y, double a, double b, double g, double phi, double l, double bb, double[] s, out double level)
    {
        int m = s.Length;
        var season = (double[])s.Clone();
        double sse = 0, sumLog = 0;
        for (int t = 0; t < y.Length; t++)
        {
            double sPrev = season[t % m];
            double mu = (l + phi * bb) * sPrev;
            double eps = (y[t] - mu) / mu;
            double lNew = (l + phi * bb) * (1 + a * eps);
            double bNew = phi * bb + b * (l + phi * bb) * eps;
            season[t % m] = sPrev * (1 + g * eps);
            l = lNew; bb = bNew;
            sse += eps * eps; sumLog += Math.Log(mu);
        }
        level = l;
        return y.Length * Math.Log(sse / y.Length) + 2 * sumLog;
    }

    [Fact]
    public void MultiplicativeRecursionMatchesTextbookForm()
    {
        double[] y = [30, 42, 25, 33, 46, 28, 36, 50, 31, 40, 55, 33, 44, 58, 37];
        double[] s0 = [0.9, 1.3, 0.8];
        var spec = new EtsSpec(EtsError.Multiplicative, EtsTrend.Damped, EtsSeason.Multiplicative, 3);
        double[] p = [0.3, 0.1, 0.2, 0.9, 30, 1]; // α β γ φ l0 b0
        double got = EtsRecursion.Run(y, spec, p, s0, new double[3], out double level, out _, out _);
        double want = NaiveMadm(y, 0.3, 0.1, 0.2, 0.9, 30, 1, s0, out double wantLevel);
        Assert.Equal(want, got, 8);
        Assert.Equal(wantLevel, level, 8);
    }

    [Fact]
    public void AutoSelectionFindsSeasonalityAndForecastsIt()
    {
        var rng = new Random(3);
        var y = new double[60];
        double[] pattern = [1.2, 0.8, 1.0, 1.4, 0.6];
        for (int t = 0; t < y.Length; t++) y[t] = (100 + 0.5 * t) * pattern[t % 5] + rng.NextDouble() * 2 - 1;
        var model = EtsFitter.AutoFit(y, 5)!;
        Assert.True(model.Spec.HasSeason, model.Spec.ToString());
        var f = model.Forecast(5);
        for (int h = 0; h < 5; h++)
        {
            double truth = (100 + 0.5 * (60 + h)) * pattern[(60 + h) % 5];
            Assert.InRange(f.Mean[h], truth * 0.95, truth * 1.05);
        }
        // every candidate's AICc is at least the selected one
        foreach (var spec in EtsFitter.Candidates(y, 5))
            Assert.True(EtsFitter.Fit(y, spec)!.Aicc >= model.Aicc - 1e-9);
    }

    private ref struct Rosenbrock : IObjective
    {
        public readonly double Evaluate(ReadOnlySpan<double> x) => 100 * Math.Pow(x[1] - x[0] * x[0], 2) + Math.Pow(1 - x[0], 2);
    }

    [Fact]
    public void NelderMeadMinimisesRosenbrock()
    {
        var nm = new NelderMead(2);
        var obj = new Rosenbrock();
        double[] x = [-1.2, 1];
        double f = nm.Minimize(ref obj, x, [0.5, 0.5], 5000, 1e-14);
        Assert.True(f < 1e-8, f.ToString());
        Assert.Equal(1, x[0], 3);
        Assert.Equal(1, x[1], 3);
    }
}
