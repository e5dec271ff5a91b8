namespace Atelier.Ml.Forecasting;

/// <summary>Point and interval accuracy measures (Hyndman &amp; Koehler 2006 for MASE).</summary>
public static class ForecastMetrics
{
    /// <summary>In-sample mean absolute lag-m difference: the MASE denominator (m = 1: one-step naive).</summary>
    public static double NaiveScale(ReadOnlySpan<double> history, int lag = 1)
    {
        double s = 0; int c = 0;
        for (int t = lag; t < history.Length; t++) { s += Math.Abs(history[t] - history[t - lag]); c++; }
        return c > 0 ? s / c : double.NaN;
    }

    public static double Mase(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast, double scale)
    {
        if (!(scale > 0)) return double.NaN;
        return Mae(actual, forecast) / scale;
    }

    public static double Mae(ReadOnlySpan<double> a, ReadOnlySpan<double> f)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += Math.Abs(a[i] - f[i]);
        return s / a.Length;
    }

    public static double Rmse(ReadOnlySpan<double> a, ReadOnlySpan<double> f)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) { double d = a[i] - f[i]; s += d * d; }
        return Math.Sqrt(s / a.Length);
    }

    /// <summary>Sum of absolute errors over sum of absolute actuals.</summary>
    public static double Wape(ReadOnlySpan<double> a, ReadOnlySpan<double> f)
    {
        double num = 0, den = 0;
        for (int i = 0; i < a.Length; i++) { num += Math.Abs(a[i] - f[i]); den += Math.Abs(a[i]); }
        return den > 0 ? num / den : double.NaN;
    }

    /// <summary>Symmetric MAPE in [0, 2]; a 0/0 term counts as 0.</summary>
    public static double Smape(ReadOnlySpan<double> a, ReadOnlySpan<double> f)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double den = Math.Abs(a[i]) + Math.Abs(f[i]);
            if (den > 0) s += 2 * Math.Abs(a[i] - f[i]) / den;
        }
        return s / a.Length;
    }

    /// <summary>Count of actuals inside [lo, hi].</summary>
    public static int Covered(ReadOnlySpan<double> a, ReadOnlySpan<double> lo, ReadOnlySpan<double> hi)
    {
        int c = 0;
        for (int i = 0; i < a.Length; i++) if (a[i] >= lo[i] && a[i] <= hi[i]) c++;
        return c;
    }
}
