using Atelier.Ml.Trees;

namespace Atelier.Ml.Forecasting;

/// <summary>
/// One gradient-boosted model across many series (a "global" model, cf. Montero-Manso &amp; Hyndman 2021): direct
/// multi-horizon regression of y[t+h] / scale on scaled lags, rolling means, horizon, a calendar code of the target
/// period, relative price and promotion flags, where scale = mean of the 8 periods up to the origin t.
/// All series share the time axis; only periods before <c>cut</c> are used for training.
/// </summary>
public static class GlobalBoostedForecaster
{
    public const int Lags = 8;
    public const int Cols = Lags + 7;

    /// <summary>Per-series inputs: values, optional unit price and promotion flag per period (same length).</summary>
    public readonly record struct Input(double[] Values, double[]? Price = null, double[]? Promotion = null);

    public static GbdtOptions DefaultOptions { get; } = new()
    {
        Objective = GbdtObjective.Regression, Trees = 150, LearningRate = 0.05f, MaxLeaves = 15, MinDataInLeaf = 40,
        L2 = 1f, FeatureFraction = 0.9f, BaggingFraction = 0.8f, Seed = 7,
    };

    /// <summary>Trains on <paramref name="train"/> up to <paramref name="cut"/> and forecasts <paramref name="targets"/>.</summary>
    public static PointForecast[] Forecast(IReadOnlyList<Input> train, IReadOnlyList<Input> targets, int[] calendar,
        int cut, int horizon, GbdtOptions? options = null)
    {
        var rows = new List<float>(train.Count * cut * horizon * Cols / 2);
        var labels = new List<float>();
        var row = new float[Cols];
        foreach (var s in train)
            for (int t = Lags - 1; t < cut - 1; t++)
            {
                double scale = Features(s, t, 1, calendar, row);
                if (!(scale > 0)) continue;
                for (int h = 1; h <= horizon && t + h < cut; h++)
                {
                    row[Lags + 2] = h;
                    row[Lags + 3] = calendar[Math.Min(t + h, calendar.Length - 1)];
                    rows.AddRange(row);
                    labels.Add((float)(s.Values[t + h] / scale));
                }
            }
        int n = labels.Count;
        var result = new PointForecast[targets.Count];
        if (n < 50)
        {
            for (int i = 0; i < targets.Count; i++) result[i] = Baselines.Naive(targets[i].Values.AsSpan(0, cut), horizon);
            return result;
        }
        var model = GradientBoostedTrees.Fit([.. rows], n, Cols, [.. labels], options ?? DefaultOptions);
        // normalised residual sd per horizon on the training rows (optimistic; intervals are calibrated on backtests)
        var ss = new double[horizon + 1]; var cnt = new int[horizon + 1];
        var all = rows.ToArray();
        for (int r = 0; r < n; r++)
        {
            int h = (int)all[r * Cols + Lags + 2];
            double e = labels[r] - model.PredictRaw(all.AsSpan(r * Cols, Cols));
            ss[h] += e * e; cnt[h]++;
        }
        for (int i = 0; i < targets.Count; i++)
        {
            var s = targets[i];
            double scale = Features(s, cut - 1, 1, calendar, row);
            var mean = new double[horizon]; var sd = new double[horizon];
            for (int h = 1; h <= horizon; h++)
            {
                double sigma = cnt[h] > 0 ? Math.Sqrt(ss[h] / cnt[h]) : 0.5;
                if (!(scale > 0)) { mean[h - 1] = 0; sd[h - 1] = 0; continue; }
                row[Lags + 2] = h;
                row[Lags + 3] = calendar[Math.Min(cut - 1 + h, calendar.Length - 1)];
                mean[h - 1] = Math.Max(0, model.PredictRaw(row) * scale);
                sd[h - 1] = sigma * scale;
            }
            result[i] = new PointForecast(mean, sd);
        }
        return result;
    }

    /// <summary>Fills the horizon-independent features of origin t; returns the scale (≤ 0: no recent sales).</summary>
    private static double Features(in Input s, int t, int h, int[] calendar, Span<float> row)
    {
        var y = s.Values;
        double scale = 0; int k8 = 0, zeros = 0;
        for (int k = 0; k < Lags && t - k >= 0; k++) { scale += y[t - k]; k8++; if (y[t - k] == 0) zeros++; }
        scale /= Math.Max(k8, 1);
        if (!(scale > 0)) return 0;
        for (int k = 0; k < Lags; k++) row[k] = t - k >= 0 ? (float)(y[t - k] / scale) : float.NaN;
        double m4 = 0; int c4 = 0;
        for (int k = 0; k < 4 && t - k >= 0; k++) { m4 += y[t - k]; c4++; }
        row[Lags] = (float)(m4 / c4 / scale);
        double m13 = 0; int c13 = 0;
        for (int k = 0; k < 26 && t - k >= 0; k++) { m13 += y[t - k]; c13++; }
        row[Lags + 1] = (float)(m13 / c13 / scale);
        row[Lags + 2] = h;
        row[Lags + 3] = calendar[Math.Min(t + h, calendar.Length - 1)];
        if (s.Price is { } p)
        {
            double pm = 0; int pc = 0;
            for (int k = 0; k < Lags && t - k >= 0; k++) if (p[t - k] > 0) { pm += p[t - k]; pc++; }
            row[Lags + 4] = pc > 0 && p[t] > 0 ? (float)(p[t] / (pm / pc)) : float.NaN;
        }
        else row[Lags + 4] = float.NaN;
        row[Lags + 5] = s.Promotion is { } pr ? (float)pr[Math.Min(t + h, pr.Length - 1)] : float.NaN;
        row[Lags + 6] = (float)Math.Log(scale + 1);
        _ = zeros;
        return scale;
    }
}
