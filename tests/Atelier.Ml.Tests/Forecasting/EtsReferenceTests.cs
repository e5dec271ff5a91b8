using Atelier.Ml.Forecasting;

namespace Atelier.Ml.Tests.Forecasting;

/// <summary>
/// ETS against published R forecast::ets output. Convention: forecast::ets reports lik = n·log(SSE) + 2Σlog|μ|
/// (no Gaussian constants, SSE not divided by n) and AIC = lik + 2·np with np = our AiccParameterCount, so
/// −2logL_R = −2logL_ours + n·log n − n·(1 + log 2π); its σ² is SSE/(n − np + 1).
/// </summary>
public sealed class EtsReferenceTests
{
    // FPP2 (Hyndman & Athanasopoulos 2018) §7.1: oildata = window(oil, start = 1996), fpp2 package, as printed there
    private static readonly double[] Oil =
        [445.3641, 453.1950, 454.4096, 422.3789, 456.0371, 440.3866, 425.1944, 486.2052, 500.4291, 521.2759, 508.9476,
         488.8889, 509.8706, 456.7229, 473.8166, 525.9509, 549.8338, 542.3405];

    // fpp2 austourists, 1999Q1–2015Q4 (as listed in statsmodels/tsa/tests/test_exponential_smoothing.py)
    private static readonly double[] AustFull =
        [30.05251300, 19.14849600, 25.31769200, 27.59143700, 32.07645600, 23.48796100, 28.47594000, 35.12375300,
         36.83848500, 25.00701700, 30.72223000, 28.69375900, 36.64098600, 23.82460900, 29.31168300, 31.77030900,
         35.17787700, 19.77524400, 29.60175000, 34.53884200, 41.27359900, 26.65586200, 28.27985900, 35.19115300,
         42.20566386, 24.64917133, 32.66733514, 37.25735401, 45.24246027, 29.35048127, 36.34420728, 41.78208136,
         49.27659843, 31.27540139, 37.85062549, 38.83704413, 51.23690034, 31.83855162, 41.32342126, 42.79900337,
         55.70835836, 33.40714492, 42.31663797, 45.15712257, 59.57607996, 34.83733016, 44.84168072, 46.97124960,
         60.01903094, 38.37117851, 46.97586413, 50.73379646, 61.64687319, 39.29956937, 52.67120908, 54.33231689,
         66.83435838, 40.87118847, 51.82853579, 57.49190993, 65.25146985, 43.06120822, 54.76075713, 59.83447494,
         73.25702747, 47.69662373, 61.09776802, 66.05576122];

    /// <summary>FPP2 §7.6: aust = window(austourists, start = 2005), i.e. 2005Q1–2015Q4.</summary>
    private static double[] Aust => AustFull[24..];

    private static double RMinus2LogLik(EtsModel m) => -2 * m.LogLikelihood + m.N * Math.Log(m.N) - m.N * (1 + Math.Log(2 * Math.PI));
    private static double RAic(EtsModel m) => RMinus2LogLik(m) + 2 * m.Spec.AiccParameterCount;
    private static double RAicc(EtsModel m) => RAic(m) + m.Aicc - m.Aic;
    private static double RBic(EtsModel m) => RMinus2LogLik(m) + m.Spec.AiccParameterCount * Math.Log(m.N);

    /// <summary>
    /// Runs our recursion at published parameters; R prints seasonal start states newest first (s0, s-1, …, s-m+1),
    /// our ring is oldest first. Returns the R-convention AIC and σ², the final states and forecasts.
    /// </summary>
    private static (double Aic, double Sigma2, double[] Forecast) AtPublishedPoint(double[] y, EtsSpec spec, double[] p,
        double[] rSeason, int horizon)
    {
        int m = spec.HasSeason ? spec.Period : 1;
        var ring0 = new double[m];
        for (int j = 0; j < m && spec.HasSeason; j++) ring0[j] = rSeason[m - 1 - j];
        var ring = new double[m];
        double f = EtsRecursion.Run(y, spec, p, ring0, ring, out double l, out double b, out double sse);
        int n = y.Length, k = spec.AiccParameterCount;
        var fc = new double[horizon];
        double phi = spec.Damped ? p[spec.PhiIndex] : 1, damp = 0, pw = 1;
        for (int h = 1; h <= horizon; h++)
        {
            pw *= phi; damp += spec.Damped ? pw : 1;
            double v = l + (spec.HasTrend ? damp * b : 0);
            if (spec.HasSeason) v = spec.Season == EtsSeason.Additive ? v + ring[(n + h - 1) % m] : v * ring[(n + h - 1) % m];
            fc[h - 1] = v;
        }
        return (f + n * Math.Log(n) + 2 * k, sse / (n - k + 1), fc);
    }

    private static void WithinRelative(double expected, double actual, double rel) =>
        Assert.InRange(actual, expected - rel * Math.Abs(expected), expected + rel * Math.Abs(expected));

    [Fact]
    public void SesOnSaudiOilMatchesFpp2Section71()
    {
        // R output of the FPP2 §7.1 code summary(ses(oildata, h = 5)) (forecast 8.20): alpha 0.8339, l 446.5868, sigma 29.8282,
        // AIC 178.1430, AICc 179.8573, BIC 180.8141, point forecasts 542.6806
        var m = EtsFitter.Fit(Oil, new EtsSpec(EtsError.Additive, EtsTrend.None, EtsSeason.None))!;
        Assert.Equal(0.8339, m.Alpha, 0.01);
        Assert.Equal(446.5868, m.InitialLevel, 1.0);
        Assert.Equal(178.1430, RAic(m), 0.05);
        Assert.Equal(179.8573, RAicc(m), 0.05);
        Assert.Equal(180.8141, RBic(m), 0.05);
        Assert.Equal(29.8282, Math.Sqrt(m.Sse / (m.N - m.Spec.AiccParameterCount + 1)), 0.05);
        Assert.All(m.Forecast(5).Mean, f => WithinRelative(542.6806, f, 0.0005));
        // automatic selection (non-seasonal annual data) keeps simple exponential smoothing
        Assert.Equal("ETS(A,N,N)", EtsFitter.AutoFit(Oil, 1)!.Spec.ToString());
    }

    [Fact]
    public void AutomaticEtsOnAustralianTouristsMatchesFpp2Section76()
    {
        // R output of the FPP2 §7.6 code summary(ets(aust)): ETS(M,A,M), alpha 0.1908, beta 0.0392, gamma 2e-04, l 32.3679, b 0.9281,
        // s 1.0218 0.9628 0.7683 1.2471, sigma 0.0383, AIC 224.8628, AICc 230.1569, BIC 240.9205
        var spec = new EtsSpec(EtsError.Multiplicative, EtsTrend.Additive, EtsSeason.Multiplicative, 4);
        double[] rSeason = [1.0218, 0.9628, 0.7683, 1.2471];
        var published = AtPublishedPoint(Aust, spec, [0.1908, 0.0392, 0.0002, 32.3679, 0.9281], rSeason, 4);
        // our likelihood at the published point reproduces the published AIC (parameters are printed to 4 digits)
        Assert.Equal(224.8628, published.Aic, 0.02);

        var auto = EtsFitter.AutoFit(Aust, 4)!;
        Assert.Equal(spec, auto.Spec);
        // the published optimum is not the maximum: ours is at least as likely (≈ 5.5 AIC lower), so α/β differ
        // along a flat ridge; the well-identified states and γ agree
        Assert.InRange(RAicc(auto), 224.0, 230.1569 + 0.1);
        Assert.InRange(RAic(auto), 218.0, 224.8628 + 0.1);
        Assert.InRange(RBic(auto), 234.0, 240.9205 + 0.1);
        Assert.Equal(0.0002, auto.Gamma, 0.01);
        Assert.Equal(32.3679, auto.InitialLevel, 0.5);
        for (int j = 0; j < 4; j++) Assert.Equal(rSeason[3 - j], auto.InitialSeason[j], 0.01);
        var fc = auto.Forecast(4).Mean;
        for (int h = 0; h < 4; h++) WithinRelative(published.Forecast[h], fc[h], 0.01);
    }

    public static TheoryData<string, double[], double[], double, double[]> ForecastPackageFits => new()
    {
        // statsmodels/tsa/tests/results/fit_ets_results_seasonal.json (forecast::ets via results/fit_ets.R, damped = TRUE):
        // alpha, beta, gamma, phi, l0, b0 | initial seasons (R order) | sigma2 | forecasts h = 1..4
        { "AAdA", [0.35445427, 0.03200749, 0.39993387, 0.97999997, 24.01278357, 0.97770147],
          [1.76951063, -0.50735902, -6.61171798, 5.34956637], 6.0830734, [76.07768073, 51.61741109, 63.96457729, 68.27886241] },
        { "MAdA", [0.31114284, 0.04721388, 0.30950232, 0.8708892, 21.67128194, 1.98691433],
          [1.03750831, -1.37168288, -6.10365176, 6.43782633], 0.00470153, [75.18545389, 51.10898524, 62.88324814, 66.74862479] },
        { "MAdM", [0.48397584, 0.00351728, 0.0001131, 0.98, 23.54623801, 0.7983291],
          [1.0353059, 0.96050633, 0.77007856, 1.2341092], 0.00361294, [78.09439198, 48.93807849, 61.29337201, 66.33465147] },
    };

    [Theory]
    [MemberData(nameof(ForecastPackageFits))]
    public void DampedSeasonalFitsMatchForecastPackage(string form, double[] p, double[] rSeason, double sigma2, double[] forecasts)
    {
        var spec = new EtsSpec(form[0] == 'A' ? EtsError.Additive : EtsError.Multiplicative, EtsTrend.Damped,
            form[3] == 'A' ? EtsSeason.Additive : EtsSeason.Multiplicative, 4);
        // p is in our layout already (alpha, beta, gamma, phi, l0, b0)
        var published = AtPublishedPoint(AustFull, spec, p, rSeason, 4);
        WithinRelative(sigma2, published.Sigma2, 1e-5);

        var m = EtsFitter.Fit(AustFull, spec)!;
        // at least as likely as the published fit (AICc within 0.1 or lower), forecasts within 1%
        Assert.InRange(RAic(m), published.Aic - 5, published.Aic + 0.1);
        var fc = m.Forecast(4).Mean;
        for (int h = 0; h < 4; h++) WithinRelative(forecasts[h], fc[h], 0.01);
        if (form == "MAdA") return; // ours is 3.3 AIC better at φ = 0.98 (R: 0.87): a different optimum, not compared
        Assert.Equal(p[0], m.Alpha, 0.03);
        Assert.Equal(p[1], m.Beta, 0.01);
        Assert.Equal(p[2], m.Gamma, 0.02);
        Assert.Equal(p[3], m.Phi, 0.01);
        Assert.Equal(p[4], m.InitialLevel, 0.5);
        double tol = spec.Season == EtsSeason.Additive ? 0.5 : 0.01;
        for (int j = 0; j < 4; j++) Assert.Equal(rSeason[3 - j], m.InitialSeason[j], tol);
    }
}
