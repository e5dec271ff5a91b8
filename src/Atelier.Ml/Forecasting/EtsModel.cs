namespace Atelier.Ml.Forecasting;

/// <summary>A fitted ETS model: parameters, final states and information criteria.</summary>
public sealed class EtsModel
{
    internal EtsModel(EtsSpec spec, double[] parameters, double[] initialSeason, double level, double trend,
        double[] seasonRing, int n, double sse, double minus2LogLik)
    {
        Spec = spec; Parameters = parameters; InitialSeason = initialSeason; Level = level; Trend = trend; SeasonRing = seasonRing; N = n; Sse = sse;
        int k = spec.AiccParameterCount;
        LogLikelihood = -0.5 * minus2LogLik;
        Aic = minus2LogLik + 2 * k;
        Aicc = n - k - 1 > 0 ? Aic + 2.0 * k * (k + 1) / (n - k - 1) : double.PositiveInfinity;
        Bic = minus2LogLik + k * Math.Log(n);
    }

    public EtsSpec Spec { get; }
    public double[] Parameters { get; }
    public double Alpha => Parameters[0];
    public double Beta => Spec.HasTrend ? Parameters[Spec.BetaIndex] : 0;
    public double Gamma => Spec.HasSeason ? Parameters[Spec.GammaIndex] : 0;
    public double Phi => Spec.Damped ? Parameters[Spec.PhiIndex] : 1;
    public double InitialLevel => Parameters[Spec.LevelIndex];
    public double InitialTrend => Spec.HasTrend ? Parameters[Spec.LevelIndex + 1] : 0;
    /// <summary>Seasonal start states (empty without season); position j belongs to times t ≡ j (mod Period).</summary>
    public double[] InitialSeason { get; }
    public double Level { get; }
    public double Trend { get; }
    /// <summary>Final seasonal states; position j belongs to times t ≡ j (mod Period).</summary>
    public double[] SeasonRing { get; }
    public int N { get; }
    /// <summary>Sum of squared (relative, for multiplicative error) one-step errors.</summary>
    public double Sse { get; }
    public double Sigma2 => Sse / N;
    /// <summary>Gaussian log-likelihood including constants: -0.5·(n·log(2π·SSE/n) + n + 2Σlog|mu|).</summary>
    public double LogLikelihood { get; }
    public double Aic { get; }
    public double Aicc { get; }
    public double Bic { get; }

    /// <summary>
    /// Point forecasts and h-step standard deviations. Variance uses the class-1 formula
    /// σ²(1 + Σ_{j&lt;h} c_j²), c_j = α + β·φ_j + γ·1[j mod m = 0] (Hyndman et al. 2008, Table 6.1); for multiplicative
    /// errors σ is relative and scaled by the point forecast (an approximation, calibrated on backtests).
    /// </summary>
    public PointForecast Forecast(int horizon)
    {
        var mean = new double[horizon];
        var sd = new double[horizon];
        double phi = Phi, phiSum = 0, phiPow = 1;
        int m = Spec.HasSeason ? Spec.Period : 1;
        double sigma = Math.Sqrt(Sigma2);
        double cum = 0;
        for (int h = 1; h <= horizon; h++)
        {
            phiPow *= phi;
            phiSum += Spec.Damped ? phiPow : 1;
            double trendPart = Spec.HasTrend ? phiSum * Trend : 0;
            double f = Level + trendPart;
            if (Spec.HasSeason)
            {
                double s = SeasonRing[(N + h - 1) % m];
                f = Spec.Season == EtsSeason.Additive ? f + s : f * s;
            }
            mean[h - 1] = f;
            double v = sigma * Math.Sqrt(1 + cum);
            sd[h - 1] = Spec.Error == EtsError.Multiplicative ? v * Math.Abs(f) : v;
            // c_h for the next step
            double phiJ = Spec.Damped ? phiSum : h;
            double c = Alpha + (Spec.HasTrend ? Beta * phiJ : 0) + (Spec.HasSeason && h % m == 0 ? Gamma : 0);
            cum += c * c;
        }
        return new PointForecast(mean, sd);
    }
}
