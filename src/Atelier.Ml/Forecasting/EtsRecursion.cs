namespace Atelier.Ml.Forecasting;

/// <summary>
/// The ETS state recursions in error-correction form (Hyndman et al. 2008, Table 2.3). Written in the raw error
/// r = y - mu, the state updates are the same for additive and multiplicative errors; only the likelihood differs.
/// </summary>
public static class EtsRecursion
{
    public const double PhiLower = 0.8, PhiUpper = 0.98, Eps = 1e-4;

    /// <summary>
    /// The "usual" parameter region of forecast::ets (0&lt;β&lt;α&lt;1, 0&lt;γ&lt;1-α, 0.8≤φ≤0.98), which lies inside the
    /// admissible (forecastable) region for the additive models.
    /// </summary>
    public static bool InBounds(in EtsSpec spec, ReadOnlySpan<double> p)
    {
        double alpha = p[0];
        if (!(alpha > Eps && alpha < 1 - Eps)) return false;
        if (spec.HasTrend) { double beta = p[spec.BetaIndex]; if (!(beta > Eps && beta < alpha)) return false; }
        if (spec.HasSeason) { double g = p[spec.GammaIndex]; if (!(g > Eps && g < 1 - alpha)) return false; }
        if (spec.Damped) { double phi = p[spec.PhiIndex]; if (!(phi >= PhiLower && phi <= PhiUpper)) return false; }
        return true;
    }

    /// <summary>
    /// Runs the filter over <paramref name="y"/>. Returns n·log(SSE/n) + 2·Σlog|mu| (the profile -2 log-likelihood
    /// without constants; the Σlog term only for multiplicative errors) or +∞ when the path is not admissible.
    /// <paramref name="ring"/> (length Period) receives the final seasonal states indexed by time mod Period.
    /// </summary>
    public static double Run(ReadOnlySpan<double> y, in EtsSpec spec, ReadOnlySpan<double> p, ReadOnlySpan<double> s0,
        Span<double> ring, out double level, out double trend, out double sse)
    {
        double alpha = p[0];
        double beta = spec.HasTrend ? p[spec.BetaIndex] : 0;
        double gamma = spec.HasSeason ? p[spec.GammaIndex] : 0;
        double phi = spec.Damped ? p[spec.PhiIndex] : 1;
        double l = p[spec.LevelIndex];
        double b = spec.HasTrend ? p[spec.LevelIndex + 1] : 0;
        int m = spec.HasSeason ? spec.Period : 1;
        bool multErr = spec.Error == EtsError.Multiplicative;
        bool addSeason = spec.Season == EtsSeason.Additive && spec.HasSeason;
        bool mulSeason = spec.Season == EtsSeason.Multiplicative && spec.HasSeason;
        if (spec.HasSeason) s0[..m].CopyTo(ring);
        sse = 0;
        double sumLog = 0;
        int n = y.Length;
        int j = 0;
        for (int t = 0; t < n; t++)
        {
            double lp = l + phi * b;
            double mu;
            if (addSeason)
            {
                double si = ring[j];
                mu = lp + si;
                double r = y[t] - mu;
                l = lp + alpha * r;
                b = phi * b + beta * r;
                ring[j] = si + gamma * r;
                if (multErr) { if (mu <= 0) goto Fail; double e = r / mu; sse += e * e; sumLog += Math.Log(mu); }
                else sse += r * r;
            }
            else if (mulSeason)
            {
                double si = ring[j];
                if (lp <= 0 || si <= 0) goto Fail;
                mu = lp * si;
                double r = y[t] - mu;
                l = lp + alpha * r / si;
                b = phi * b + beta * r / si;
                ring[j] = si + gamma * r / lp;
                if (multErr) { double e = r / mu; sse += e * e; sumLog += Math.Log(mu); }
                else sse += r * r;
            }
            else
            {
                mu = lp;
                double r = y[t] - mu;
                l = lp + alpha * r;
                b = phi * b + beta * r;
                if (multErr) { if (mu <= 0) goto Fail; double e = r / mu; sse += e * e; sumLog += Math.Log(mu); }
                else sse += r * r;
            }
            if (++j == m) j = 0;
        }
        level = l; trend = b;
        if (!double.IsFinite(sse)) goto Fail2;
        return n * Math.Log(Math.Max(sse, 1e-300) / n) + 2 * sumLog;
    Fail:
        level = l; trend = b;
    Fail2:
        level = double.NaN; trend = double.NaN; sse = double.PositiveInfinity;
        return double.PositiveInfinity;
    }
}
