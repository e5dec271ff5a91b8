namespace Atelier.Ml.Forecasting;

/// <summary>An objective for <see cref="NelderMead"/>; may be a ref struct so the hot loop allocates nothing.</summary>
public interface IObjective
{
    double Evaluate(ReadOnlySpan<double> x);
}

/// <summary>
/// Nelder–Mead simplex minimiser (Nelder &amp; Mead 1965; standard coefficients 1, 2, 0.5, 0.5) working in
/// caller-provided scratch so repeated fits do not allocate. Infeasible points should return +∞.
/// </summary>
public sealed class NelderMead
{
    private readonly int _maxDim;
    private readonly double[] _simplex, _f, _centroid, _xr, _xe, _xc;

    public NelderMead(int maxDim)
    {
        _maxDim = maxDim;
        _simplex = new double[(maxDim + 1) * maxDim];
        _f = new double[maxDim + 1];
        _centroid = new double[maxDim]; _xr = new double[maxDim]; _xe = new double[maxDim]; _xc = new double[maxDim];
    }

    public int Evaluations { get; private set; }

    /// <summary>Minimises from <paramref name="x"/> (overwritten with the best point); returns the best value.</summary>
    public double Minimize<T>(ref T objective, Span<double> x, ReadOnlySpan<double> step, int maxEvaluations = 1000,
        double relTol = 1e-8) where T : IObjective, allows ref struct
    {
        int n = x.Length;
        if (n > _maxDim) throw new ArgumentException("dimension exceeds workspace");
        var s = _simplex.AsSpan(0, (n + 1) * n);
        var f = _f.AsSpan(0, n + 1);
        var c = _centroid.AsSpan(0, n); var xr = _xr.AsSpan(0, n); var xe = _xe.AsSpan(0, n); var xc = _xc.AsSpan(0, n);
        for (int i = 0; i <= n; i++)
        {
            var v = s.Slice(i * n, n);
            x.CopyTo(v);
            if (i > 0) v[i - 1] += step[i - 1];
            f[i] = objective.Evaluate(v);
        }
        int evals = n + 1;
        while (evals < maxEvaluations)
        {
            // order: find best, worst, second worst
            int best = 0, worst = 0;
            for (int i = 1; i <= n; i++) { if (f[i] < f[best]) best = i; if (f[i] > f[worst]) worst = i; }
            int second = best;
            for (int i = 0; i <= n; i++) if (i != worst && f[i] > f[second]) second = i;
            if (double.IsFinite(f[worst]) && Math.Abs(f[worst] - f[best]) <= relTol * (Math.Abs(f[best]) + 1e-10)) break;

            c.Clear();
            for (int i = 0; i <= n; i++)
            {
                if (i == worst) continue;
                var v = s.Slice(i * n, n);
                for (int j = 0; j < n; j++) c[j] += v[j];
            }
            for (int j = 0; j < n; j++) c[j] /= n;
            var w = s.Slice(worst * n, n);
            for (int j = 0; j < n; j++) xr[j] = c[j] + (c[j] - w[j]);
            double fr = objective.Evaluate(xr); evals++;
            if (fr < f[best])
            {
                for (int j = 0; j < n; j++) xe[j] = c[j] + 2 * (c[j] - w[j]);
                double fe = objective.Evaluate(xe); evals++;
                if (fe < fr) { xe.CopyTo(w); f[worst] = fe; } else { xr.CopyTo(w); f[worst] = fr; }
                continue;
            }
            if (fr < f[second]) { xr.CopyTo(w); f[worst] = fr; continue; }
            bool outside = fr < f[worst];
            for (int j = 0; j < n; j++) xc[j] = outside ? c[j] + 0.5 * (xr[j] - c[j]) : c[j] + 0.5 * (w[j] - c[j]);
            double fc = objective.Evaluate(xc); evals++;
            if (fc < (outside ? fr : f[worst])) { xc.CopyTo(w); f[worst] = fc; continue; }
            // shrink towards the best vertex
            var b = s.Slice(best * n, n);
            for (int i = 0; i <= n; i++)
            {
                if (i == best) continue;
                var v = s.Slice(i * n, n);
                for (int j = 0; j < n; j++) v[j] = b[j] + 0.5 * (v[j] - b[j]);
                f[i] = objective.Evaluate(v); evals++;
            }
        }
        int bi = 0;
        for (int i = 1; i <= n; i++) if (f[i] < f[bi]) bi = i;
        s.Slice(bi * n, n).CopyTo(x);
        Evaluations = evals;
        return f[bi];
    }
}
