using Atelier.Ml.Forecasting;

namespace Atelier.Services.Forecasting;

public sealed record ModelScore(string Name, double Mase, double Rmse, double Wape, double Smape, double Coverage80,
    double Coverage95, int Forecasts);

public sealed record LevelReport(string Level, string Frequency, int Series, int Horizon, int Origins, IReadOnlyList<ModelScore> Models,
    IReadOnlyDictionary<string, int>? AutoChoices = null);

/// <summary>Scores a <see cref="Backtest"/> over its evaluation window for a subset of rows (one hierarchy level).</summary>
public static class ForecastEvaluation
{
    public static ModelScore Score(Backtest bt, string model, IReadOnlyList<int> rows, bool calibrate = true)
    {
        var (k80, k95) = calibrate ? bt.Calibration(model, rows) : (1.0, 1.0);
        double maseSum = 0, rmseSum = 0, smapeSum = 0, absErr = 0, absAct = 0;
        int n = 0, points = 0, in80 = 0, in95 = 0;
        for (int c = bt.FirstEval; c < bt.Cuts.Length; c++)
            foreach (int s in rows)
            {
                var p = bt[model][c][s];
                var a = bt.Actual(c, s);
                var iv = PredictionIntervals.Build(p, k80, k95);
                double mase = bt.Mase(model, c, s);
                if (double.IsFinite(mase)) { maseSum += mase; n++; }
                rmseSum += ForecastMetrics.Rmse(a, p.Mean);
                smapeSum += ForecastMetrics.Smape(a, p.Mean);
                for (int h = 0; h < a.Length; h++) { absErr += Math.Abs(a[h] - p.Mean[h]); absAct += Math.Abs(a[h]); }
                in80 += ForecastMetrics.Covered(a, iv.Lower80, iv.Upper80);
                in95 += ForecastMetrics.Covered(a, iv.Lower95, iv.Upper95);
                points += a.Length;
            }
        int fc = bt.EvalOrigins * rows.Count;
        return new ModelScore(model, maseSum / Math.Max(n, 1), rmseSum / fc, absAct > 0 ? absErr / absAct : double.NaN,
            smapeSum / fc, (double)in80 / points, (double)in95 / points, fc);
    }

    public static LevelReport Level(Backtest bt, string level, IReadOnlyList<int> rows, IEnumerable<string> models,
        string[][]? autoChoices = null)
    {
        var scores = models.Select(m => Score(bt, m, rows)).ToList();
        Dictionary<string, int>? counts = null;
        if (autoChoices is not null)
        {
            counts = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int c = bt.FirstEval; c < bt.Cuts.Length; c++)
                foreach (int s in rows) counts[autoChoices[c][s]] = counts.GetValueOrDefault(autoChoices[c][s]) + 1;
        }
        return new LevelReport(level, bt.Set.Frequency, rows.Count, bt.Horizon, bt.EvalOrigins, scores, counts);
    }
}
