namespace Atelier.Ml.Forecasting;

/// <summary>
/// Maximum-likelihood ETS fitting with <see cref="NelderMead"/> and automatic model selection by AICc
/// (Hyndman, Koehler, Snyder &amp; Grose 2002). Initial seasonal states start from a classical decomposition of the
/// first seasons; α, β, γ, φ, l0 and b0 are optimised first, then (period ≤ <see cref="MaxOptimisedPeriod"/>) all of
/// them together with the seasonal start states. Scratch lives per thread: no allocation inside the likelihood loop.
/// </summary>
public static class EtsFitter
{
    public const int MaxPeriod = 64;

    [ThreadStatic] private static Workspace? t_ws;

    /// <summary>Seasonal start states are optimised (m-1 free, the last one normalising) up to this period, the
    /// limit forecast::ets applies to seasonal models; longer seasons keep the decomposition start states.</summary>
    public const int MaxOptimisedPeriod = 24;

    private const int MaxDim = 6 + MaxOptimisedPeriod - 1;

    private sealed class Workspace
    {
        public readonly NelderMead Optimizer = new(MaxDim);
        public readonly double[] Ring = new double[MaxPeriod];
        public readonly double[] Season0 = new double[MaxPeriod];
        public readonly double[] SeasonScratch = new double[MaxPeriod];
        public readonly double[] Params = new double[MaxDim];
        public readonly double[] Step = new double[MaxDim];
    }

    private ref struct Objective(ReadOnlySpan<double> y, EtsSpec spec, ReadOnlySpan<double> s0, Span<double> ring) : IObjective
    {
        private readonly ReadOnlySpan<double> _y = y, _s0 = s0;
        private readonly Span<double> _ring = ring;
        private readonly EtsSpec _spec = spec;

        public readonly double Evaluate(ReadOnlySpan<double> x) =>
            EtsRecursion.InBounds(_spec, x) ? EtsRecursion.Run(_y, _spec, x, _s0, _ring, out _, out _, out _) : double.PositiveInfinity;
    }

    /// <summary>Objective over [smoothing, l0, b0, s_1..s_{m-1}]: the last seasonal start state normalises the set
    /// (Σs = 0 additive, Σs = m multiplicative), as in forecast::ets (Hyndman et al. 2008, ch. 5).</summary>
    private ref struct SeasonalObjective(ReadOnlySpan<double> y, EtsSpec spec, Span<double> s0, Span<double> ring) : IObjective
    {
        private readonly ReadOnlySpan<double> _y = y;
        private readonly Span<double> _s0 = s0, _ring = ring;
        private readonly EtsSpec _spec = spec;

        public readonly double Evaluate(ReadOnlySpan<double> x)
        {
            if (!EtsRecursion.InBounds(_spec, x)) return double.PositiveInfinity;
            int k = _spec.ParameterCount;
            if (!UnpackSeason(_spec, x[k..], _s0)) return double.PositiveInfinity;
            return EtsRecursion.Run(_y, _spec, x[..k], _s0, _ring, out _, out _, out _);
        }
    }

    /// <summary>Seasonal start states from the m-1 free values; false when a multiplicative index is not positive.</summary>
    private static bool UnpackSeason(in EtsSpec spec, ReadOnlySpan<double> free, Span<double> s0)
    {
        int m = spec.Period;
        bool mult = spec.Season == EtsSeason.Multiplicative;
        double sum = 0;
        for (int j = 0; j < m - 1; j++) { s0[j] = free[j]; sum += free[j]; }
        s0[m - 1] = (mult ? m : 0) - sum;
        if (mult) for (int j = 0; j < m; j++) if (!(s0[j] > 0)) return false;
        return true;
    }

    /// <summary>The candidate models for a series: multiplicative forms only for strictly positive data; seasonal
    /// forms only with at least two full seasons; additive-error/multiplicative-season combinations excluded.</summary>
    public static List<EtsSpec> Candidates(ReadOnlySpan<double> y, int period, bool allowMultiplicative = true,
        bool allowDamped = true)
    {
        bool positive = allowMultiplicative;
        if (positive) foreach (var v in y) if (v <= 0) { positive = false; break; }
        bool seasonal = period > 1 && period <= MaxPeriod && y.Length >= 2 * period + 2;
        var list = new List<EtsSpec>(18);
        foreach (var e in positive ? new[] { EtsError.Additive, EtsError.Multiplicative } : [EtsError.Additive])
            foreach (var t in allowDamped ? new[] { EtsTrend.None, EtsTrend.Additive, EtsTrend.Damped } : [EtsTrend.None, EtsTrend.Additive])
                foreach (var s in seasonal ? (positive ? new[] { EtsSeason.None, EtsSeason.Additive, EtsSeason.Multiplicative } : [EtsSeason.None, EtsSeason.Additive]) : [EtsSeason.None])
                {
                    if (e == EtsError.Additive && s == EtsSeason.Multiplicative) continue;
                    var spec = new EtsSpec(e, t, s, s == EtsSeason.None ? 1 : period);
                    if (spec.AiccParameterCount + 1 >= y.Length) continue;
                    list.Add(spec);
                }
        return list;
    }

    /// <summary>Fits every candidate and returns the one with the smallest AICc (null when nothing fits).</summary>
    public static EtsModel? AutoFit(ReadOnlySpan<double> y, int period, bool allowMultiplicative = true, int maxEvaluations = 300)
    {
        EtsModel? best = null;
        foreach (var spec in Candidates(y, period, allowMultiplicative))
        {
            var m = Fit(y, spec, maxEvaluations);
            if (m is not null && (best is null || m.Aicc < best.Aicc)) best = m;
        }
        return best;
    }

    /// <summary>Maximum-likelihood fit of one model; null when no admissible start exists.</summary>
    public static EtsModel? Fit(ReadOnlySpan<double> y, EtsSpec spec, int maxEvaluations = 300)
    {
        var ws = t_ws ??= new Workspace();
        int m = spec.HasSeason ? spec.Period : 1;
        if (m > MaxPeriod || y.Length < 3) return null;
        var s0 = ws.Season0.AsSpan(0, m);
        var ring = ws.Ring.AsSpan(0, m);
        Initialize(y, spec, s0, out double l0, out double b0);
        int k = spec.ParameterCount;
        var p = ws.Params.AsSpan(0, k);
        var step = ws.Step.AsSpan(0, k);
        double scale = 0;
        int nScale = Math.Min(y.Length, 10);
        for (int i = 0; i < nScale; i++) scale += Math.Abs(y[i]);
        scale = Math.Max(scale / nScale, 1e-3);
        p[0] = 0.3; step[0] = 0.1;
        if (spec.HasTrend) { p[spec.BetaIndex] = 0.05; step[spec.BetaIndex] = 0.03; }
        if (spec.HasSeason) { p[spec.GammaIndex] = 0.1; step[spec.GammaIndex] = 0.05; }
        if (spec.Damped) { p[spec.PhiIndex] = 0.9; step[spec.PhiIndex] = 0.03; }
        p[spec.LevelIndex] = l0; step[spec.LevelIndex] = 0.1 * scale;
        if (spec.HasTrend) { p[spec.LevelIndex + 1] = b0; step[spec.LevelIndex + 1] = 0.02 * scale; }
        var obj = new Objective(y, spec, s0, ring);
        if (!double.IsFinite(obj.Evaluate(p))) return null;
        // the objective is n·log(SSE/n): a relative change of 1e-6 is far below one unit of log-likelihood
        ws.Optimizer.Minimize(ref obj, p, step, maxEvaluations, 1e-6);
        if (spec.HasSeason && m <= MaxOptimisedPeriod) RefineSeason(y, spec, ws, p, s0, ring, maxEvaluations);
        var initialSeason = spec.HasSeason ? s0.ToArray() : [];
        double f = EtsRecursion.Run(y, spec, p, s0, ring, out double level, out double trend, out double sse);
        if (!double.IsFinite(f)) return null;
        int n = y.Length;
        double minus2 = f + n * (1 + Math.Log(2 * Math.PI));
        return new EtsModel(spec, p.ToArray(), initialSeason, level, trend, ring.ToArray(), n, sse, minus2);
    }

    /// <summary>
    /// Second stage for seasonal models: Nelder–Mead over the smoothing parameters, l0, b0 and the seasonal start
    /// states together, from the first-stage optimum (forecast::ets estimates all of them jointly). The simplex keeps
    /// its start vertex, so the result is never worse than the first stage; <paramref name="s0"/> receives the states.
    /// </summary>
    private static void RefineSeason(ReadOnlySpan<double> y, in EtsSpec spec, Workspace ws, Span<double> p,
        Span<double> s0, Span<double> ring, int maxEvaluations)
    {
        int k = spec.ParameterCount, m = spec.Period, dim = k + m - 1;
        var x = ws.Params.AsSpan(0, dim);
        var step = ws.Step.AsSpan(0, dim);
        // p aliases the head of ws.Params: the first k entries are already the first-stage optimum
        bool mult = spec.Season == EtsSeason.Multiplicative;
        double spread = 0;
        for (int j = 0; j < m; j++) spread += Math.Abs(mult ? s0[j] - 1 : s0[j]);
        spread = Math.Max(spread / m, mult ? 0.01 : 1e-3);
        for (int j = 0; j < m - 1; j++) { x[k + j] = s0[j]; step[k + j] = 0.2 * spread; }
        for (int i = 0; i < k; i++) step[i] = Math.Max(Math.Abs(p[i]) * 0.05, 1e-3);
        if (spec.HasTrend) step[spec.BetaIndex] = Math.Max(0.5 * p[spec.BetaIndex], 1e-3);
        var scratch = ws.SeasonScratch.AsSpan(0, m);
        var obj = new SeasonalObjective(y, spec, scratch, ring);
        if (!double.IsFinite(obj.Evaluate(x))) return;
        // one restart from the best vertex with a fresh simplex: Nelder–Mead often stalls on these ridges
        for (int pass = 0; pass < 2; pass++) ws.Optimizer.Minimize(ref obj, x, step, Math.Max(maxEvaluations, 100 * dim), 1e-8);
        UnpackSeason(spec, x[k..], s0);
    }

    /// <summary>
    /// Heuristic start (Hyndman et al. 2002 §2.6): seasonal indices from a centred moving average over the first
    /// (up to four) seasons; level and slope from a straight line through the first ten deseasonalised values.
    /// </summary>
    public static void Initialize(ReadOnlySpan<double> y, in EtsSpec spec, Span<double> s0, out double l0, out double b0)
    {
        int n = y.Length;
        int m = spec.HasSeason ? spec.Period : 1;
        bool mult = spec.Season == EtsSeason.Multiplicative;
        if (spec.HasSeason)
        {
            int seasons = Math.Min(n / m, 4);
            int len = seasons * m;
            Span<double> sum = stackalloc double[m];
            Span<int> cnt = stackalloc int[m];
            sum.Clear(); cnt.Clear();
            int half = m / 2;
            for (int t = half; t + half < len && t + half < n; t++)
            {
                double tr;
                if (m % 2 == 0)
                {
                    if (t + half >= n) break;
                    double acc = 0.5 * (y[t - half] + y[t + half]);
                    for (int i = t - half + 1; i < t + half; i++) acc += y[i];
                    tr = acc / m;
                }
                else
                {
                    double acc = 0;
                    for (int i = t - half; i <= t + half; i++) acc += y[i];
                    tr = acc / m;
                }
                if (mult && tr <= 0) continue;
                sum[t % m] += mult ? y[t] / tr : y[t] - tr;
                cnt[t % m]++;
            }
            double avg = 0;
            for (int j = 0; j < m; j++) { s0[j] = cnt[j] > 0 ? sum[j] / cnt[j] : (mult ? 1 : 0); avg += s0[j]; }
            avg /= m;
            for (int j = 0; j < m; j++) s0[j] = mult ? s0[j] / avg : s0[j] - avg;
        }
        int k = Math.Min(n, Math.Max(10, spec.HasSeason ? m : 0));
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int t = 0; t < k; t++)
        {
            double v = y[t];
            if (spec.HasSeason) v = mult ? v / s0[t % m] : v - s0[t % m];
            double x = t + 1;
            sx += x; sy += v; sxx += x * x; sxy += x * v;
        }
        double slope = k > 1 ? (k * sxy - sx * sy) / (k * sxx - sx * sx) : 0;
        if (spec.HasTrend) { b0 = slope; l0 = (sy - slope * sx) / k; }
        else { b0 = 0; l0 = sy / k; }
        if (spec.Error == EtsError.Multiplicative || mult) l0 = Math.Max(l0, 1e-3 * Math.Max(sy / Math.Max(k, 1), 1e-3));
    }
}
