namespace Atelier.Ml.Forecasting;

/// <summary>
/// Forecast reconciliation for a hierarchy given by its summing matrix S (nodes × bottom series, row-major):
/// bottom-up, and MinT with the shrinkage covariance estimator (Wickramasuriya, Athanasopoulos &amp; Hyndman 2019):
/// ỹ = S (S'W⁻¹S)⁻¹ S'W⁻¹ ŷ, W = λ·diag(Σ̂) + (1-λ)·Σ̂ from in-sample one-step residuals.
/// </summary>
public sealed class Reconciliation
{
    public Reconciliation(double[] summing, int nodes, int bottom)
    {
        if (summing.Length != nodes * bottom) throw new ArgumentException("summing matrix shape");
        S = summing; Nodes = nodes; Bottom = bottom;
    }

    public double[] S { get; }
    public int Nodes { get; }
    public int Bottom { get; }

    /// <summary>Builds S from a parent array (-1 = root); bottom series are the nodes without children, in order.</summary>
    public static Reconciliation FromParents(ReadOnlySpan<int> parent, out int[] bottomNodes)
    {
        int n = parent.Length;
        var hasChild = new bool[n];
        for (int i = 0; i < n; i++) if (parent[i] >= 0) hasChild[parent[i]] = true;
        var bottom = new List<int>();
        for (int i = 0; i < n; i++) if (!hasChild[i]) bottom.Add(i);
        var s = new double[n * bottom.Count];
        for (int j = 0; j < bottom.Count; j++)
            for (int v = bottom[j]; v >= 0; v = parent[v]) s[v * bottom.Count + j] = 1;
        bottomNodes = [.. bottom];
        return new Reconciliation(s, n, bottom.Count);
    }

    /// <summary>Sums bottom-level forecasts (length Bottom) up to every node.</summary>
    public double[] BottomUp(ReadOnlySpan<double> bottomForecast)
    {
        var r = new double[Nodes];
        for (int i = 0; i < Nodes; i++)
        {
            double acc = 0;
            for (int j = 0; j < Bottom; j++) acc += S[i * Bottom + j] * bottomForecast[j];
            r[i] = acc;
        }
        return r;
    }

    /// <summary>The MinT projection weights P (Bottom × Nodes) so that ỹ = S·P·ŷ, for a given W (Nodes × Nodes).</summary>
    public double[] MinTProjection(ReadOnlySpan<double> w)
    {
        int n = Nodes, b = Bottom;
        // Winv·S via solving W X = S (Cholesky)
        var chol = w.ToArray();
        if (!Linear.Cholesky(chol, n)) throw new InvalidOperationException("W is not positive definite");
        var winvS = (double[])S.Clone();
        Linear.CholeskySolveColumns(chol, n, winvS, b);
        // A = S'·Winv·S (b×b), then P = A⁻¹ (Winv S)'
        var a = new double[b * b];
        for (int i = 0; i < b; i++)
            for (int j = 0; j < b; j++)
            {
                double acc = 0;
                for (int k = 0; k < n; k++) acc += S[k * b + i] * winvS[k * b + j];
                a[i * b + j] = acc;
            }
        var rhs = new double[b * n];
        for (int i = 0; i < b; i++) for (int k = 0; k < n; k++) rhs[i * n + k] = winvS[k * b + i];
        if (!Linear.Cholesky(a, b)) throw new InvalidOperationException("S'W⁻¹S is singular");
        Linear.CholeskySolveColumns(a, b, rhs, n);
        return rhs;
    }

    /// <summary>Applies ỹ = S·P·ŷ for one horizon's base forecasts (length Nodes).</summary>
    public double[] Apply(ReadOnlySpan<double> projection, ReadOnlySpan<double> baseForecast)
    {
        var bottom = new double[Bottom];
        for (int i = 0; i < Bottom; i++)
        {
            double acc = 0;
            for (int k = 0; k < Nodes; k++) acc += projection[i * Nodes + k] * baseForecast[k];
            bottom[i] = acc;
        }
        return BottomUp(bottom);
    }

    /// <summary>
    /// Shrinkage covariance of residuals (rows = time, cols = Nodes, row-major), shrinking the off-diagonal
    /// correlations towards zero with the Schäfer–Strimmer (2005) λ.
    /// </summary>
    public static double[] ShrinkCovariance(ReadOnlySpan<double> residuals, int rows, int cols, out double lambda)
    {
        var mean = new double[cols];
        for (int t = 0; t < rows; t++) for (int j = 0; j < cols; j++) mean[j] += residuals[t * cols + j];
        for (int j = 0; j < cols; j++) mean[j] /= rows;
        var cov = new double[cols * cols];
        for (int t = 0; t < rows; t++)
            for (int i = 0; i < cols; i++)
            {
                double di = residuals[t * cols + i] - mean[i];
                for (int j = 0; j <= i; j++) cov[i * cols + j] += di * (residuals[t * cols + j] - mean[j]);
            }
        for (int i = 0; i < cols; i++) for (int j = 0; j <= i; j++) { cov[i * cols + j] /= rows - 1; cov[j * cols + i] = cov[i * cols + j]; }
        var sd = new double[cols];
        for (int i = 0; i < cols; i++) sd[i] = Math.Sqrt(Math.Max(cov[i * cols + i], 1e-12));
        // λ = Σ_{i≠j} Var(r_ij) / Σ_{i≠j} r_ij² on standardised residuals
        double num = 0, den = 0;
        for (int i = 0; i < cols; i++)
            for (int j = 0; j < i; j++)
            {
                double wbar = 0;
                for (int t = 0; t < rows; t++) wbar += Z(residuals, t, i, cols, mean, sd) * Z(residuals, t, j, cols, mean, sd);
                wbar /= rows;
                double v = 0;
                for (int t = 0; t < rows; t++)
                {
                    double d = Z(residuals, t, i, cols, mean, sd) * Z(residuals, t, j, cols, mean, sd) - wbar;
                    v += d * d;
                }
                v *= (double)rows / ((rows - 1.0) * (rows - 1.0) * (rows - 1.0));
                double r = cov[i * cols + j] / (sd[i] * sd[j]);
                num += v; den += r * r;
            }
        lambda = den > 0 ? Math.Clamp(num / den, 0, 1) : 1;
        for (int i = 0; i < cols; i++)
            for (int j = 0; j < cols; j++)
                if (i != j) cov[i * cols + j] *= 1 - lambda;
                else cov[i * cols + j] = Math.Max(cov[i * cols + j], 1e-9);
        return cov;
    }

    private static double Z(ReadOnlySpan<double> r, int t, int j, int cols, double[] mean, double[] sd) =>
        (r[t * cols + j] - mean[j]) / sd[j];
}
