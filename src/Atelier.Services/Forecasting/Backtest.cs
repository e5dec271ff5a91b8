using Atelier.Ml.Forecasting;

namespace Atelier.Services.Forecasting;

/// <summary>
/// Rolling-origin backtest: every model forecasts every series from each cut (refit at each origin).
/// Cuts are ascending; the last <see cref="EvalOrigins"/> cuts form the evaluation window, the earlier ones are
/// used for interval calibration and for per-series model choice (<c>auto</c>), never the evaluation window itself.
/// </summary>
public sealed class Backtest
{
    private readonly Dictionary<string, PointForecast[][]> _forecasts = new(StringComparer.Ordinal);

    public Backtest(SeriesSet set, int horizon, int evalOrigins, int earlierOrigins)
    {
        Set = set; Horizon = horizon; EvalOrigins = evalOrigins;
        int total = evalOrigins + earlierOrigins;
        Cuts = new int[total];
        for (int k = 0; k < total; k++) Cuts[k] = set.Length - horizon * (total - k);
        if (Cuts[0] < 8) throw new ArgumentException("series too short for the requested origins");
    }

    public SeriesSet Set { get; }
    public int Horizon { get; }
    public int EvalOrigins { get; }
    public int[] Cuts { get; }
    public int FirstEval => Cuts.Length - EvalOrigins;
    public IEnumerable<string> Models => _forecasts.Keys;

    /// <summary>[cut index][series] forecasts of a model.</summary>
    public PointForecast[][] this[string model] => _forecasts[model];

    public void Run(IForecastModel model)
    {
        var f = new PointForecast[Cuts.Length][];
        for (int c = 0; c < Cuts.Length; c++) f[c] = model.Forecast(Set, Cuts[c], Horizon);
        _forecasts[model.Name] = f;
    }

    public void Add(string name, PointForecast[][] forecasts) => _forecasts[name] = forecasts;

    public ReadOnlySpan<double> Actual(int cutIndex, int series) => Set.Values[series].AsSpan(Cuts[cutIndex], Horizon);

    /// <summary>MASE of one forecast (scale: in-sample one-step naive MAE up to the cut).</summary>
    public double Mase(string model, int cutIndex, int series) =>
        ForecastMetrics.Mase(Actual(cutIndex, series), _forecasts[model][cutIndex][series].Mean,
            ForecastMetrics.NaiveScale(Set.Values[series].AsSpan(0, Cuts[cutIndex])));

    /// <summary>Mean of member forecasts (means and sigmas averaged).</summary>
    public void AddEnsemble(string name, params string[] members)
    {
        var f = new PointForecast[Cuts.Length][];
        for (int c = 0; c < Cuts.Length; c++)
        {
            f[c] = new PointForecast[Set.Count];
            for (int s = 0; s < Set.Count; s++)
            {
                var mean = new double[Horizon]; var sd = new double[Horizon];
                foreach (var m in members)
                {
                    var p = _forecasts[m][c][s];
                    for (int h = 0; h < Horizon; h++) { mean[h] += p.Mean[h] / members.Length; sd[h] += p.Sigma[h] / members.Length; }
                }
                f[c][s] = new PointForecast(mean, sd);
            }
        }
        _forecasts[name] = f;
    }

    /// <summary>
    /// Per series and origin, the candidate with the lowest mean MASE over the <paramref name="window"/> previous
    /// origins whose horizons end before this origin (first origins: fewest available).
    /// </summary>
    public void AddAuto(string name, IReadOnlyList<string> candidates, int window, out string[][] chosen, int top = 1)
    {
        candidates = candidates.Where(_forecasts.ContainsKey).ToArray();
        var f = new PointForecast[Cuts.Length][];
        chosen = new string[Cuts.Length][];
        for (int c = 0; c < Cuts.Length; c++)
        {
            f[c] = new PointForecast[Set.Count];
            chosen[c] = new string[Set.Count];
            for (int s = 0; s < Set.Count; s++)
            {
                var scores = new double[candidates.Count];
                for (int ci = 0; ci < candidates.Count; ci++)
                {
                    string m = candidates[ci];
                    double sum = 0; int n = 0;
                    for (int p = c - 1; p >= 0 && n < window; p--)
                    {
                        if (Cuts[p] + Horizon > Cuts[c]) continue;
                        double v = Mase(m, p, s);
                        if (double.IsFinite(v)) { sum += v; n++; }
                    }
                    scores[ci] = n > 0 ? sum / n : double.PositiveInfinity;
                }
                var order = Enumerable.Range(0, candidates.Count).OrderBy(i => scores[i]).ThenBy(i => i).Take(top).ToArray();
                chosen[c][s] = string.Join("+", order.Select(i => candidates[i]));
                var mean = new double[Horizon]; var sd = new double[Horizon];
                foreach (int i in order)
                {
                    var p = _forecasts[candidates[i]][c][s];
                    for (int h = 0; h < Horizon; h++) { mean[h] += p.Mean[h] / order.Length; sd[h] += p.Sigma[h] / order.Length; }
                }
                f[c][s] = new PointForecast(mean, sd);
            }
        }
        _forecasts[name] = f;
    }

    /// <summary>Interval scale factors from standardised errors of the origins before the evaluation window.</summary>
    public (double Scale80, double Scale95) Calibration(string model, IReadOnlyList<int> rows)
    {
        var z = new List<double>();
        for (int c = 0; c < FirstEval; c++)
            foreach (int s in rows)
            {
                var p = _forecasts[model][c][s];
                var a = Actual(c, s);
                for (int h = 0; h < Horizon; h++)
                    if (p.Sigma[h] > 0) z.Add((a[h] - p.Mean[h]) / p.Sigma[h]);
            }
        return PredictionIntervals.Calibrate(z);
    }
}
