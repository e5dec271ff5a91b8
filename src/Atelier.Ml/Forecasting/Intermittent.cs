namespace Atelier.Ml.Forecasting;

public enum IntermittentMethod { Croston, Sba, Tsb }

/// <summary>
/// Intermittent-demand forecasters: Croston (1972), the Syntetos–Boylan approximation (2005, bias factor 1-α/2)
/// and Teunter–Syntetos–Babai (2011, smoothing the demand probability every period). Smoothing constants are picked
/// from a small grid by in-sample one-step MSE; sigma is the RMS of those one-step errors.
/// </summary>
public static class Intermittent
{
    private static readonly double[] Grid = [0.05, 0.1, 0.2, 0.3];

    public static PointForecast Forecast(ReadOnlySpan<double> y, IntermittentMethod method, int horizon)
    {
        double bestMse = double.PositiveInfinity, bestF = 0;
        foreach (double a in Grid)
            foreach (double b in method == IntermittentMethod.Tsb ? Grid : [a])
            {
                double f = Run(y, method, a, b, out double mse);
                if (mse < bestMse) { bestMse = mse; bestF = f; }
            }
        if (!double.IsFinite(bestMse)) bestMse = 0;
        return PointForecast.Flat(bestF, Math.Sqrt(bestMse), horizon, randomWalk: false);
    }

    /// <summary>Runs the method; returns the final one-step forecast and the in-sample one-step MSE.</summary>
    public static double Run(ReadOnlySpan<double> y, IntermittentMethod method, double alpha, double beta, out double mse)
    {
        int first = -1;
        for (int t = 0; t < y.Length; t++) if (y[t] > 0) { first = t; break; }
        mse = 0;
        if (first < 0) return 0;
        double z = y[first];
        double p = method == IntermittentMethod.Tsb ? 1.0 / (first + 1) : first + 1; // interval or probability
        int sinceLast = 0, cnt = 0;
        double ss = 0;
        for (int t = first + 1; t < y.Length; t++)
        {
            double f = Value(z, p, method, alpha);
            double e = y[t] - f;
            ss += e * e; cnt++;
            sinceLast++;
            if (method == IntermittentMethod.Tsb)
            {
                bool demand = y[t] > 0;
                p += beta * ((demand ? 1 : 0) - p);
                if (demand) z += alpha * (y[t] - z);
            }
            else if (y[t] > 0)
            {
                z += alpha * (y[t] - z);
                p += alpha * (sinceLast - p);
                sinceLast = 0;
            }
        }
        mse = cnt > 0 ? ss / cnt : 0;
        return Value(z, p, method, alpha);
    }

    private static double Value(double z, double p, IntermittentMethod method, double alpha) => method switch
    {
        IntermittentMethod.Croston => z / p,
        IntermittentMethod.Sba => (1 - alpha / 2) * z / p,
        _ => p * z,
    };

    /// <summary>Share of zero periods; series above ~0.3 are usually treated as intermittent.</summary>
    public static double ZeroShare(ReadOnlySpan<double> y)
    {
        if (y.Length == 0) return 0;
        int z = 0;
        foreach (var v in y) if (v == 0) z++;
        return (double)z / y.Length;
    }
}
