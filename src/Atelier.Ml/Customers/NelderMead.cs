namespace Atelier.Ml.Customers;

/// <summary>Nelder–Mead downhill simplex (Nelder &amp; Mead 1965) with the standard coefficients 1, 2, ½, ½.</summary>
public static class NelderMead
{
    public static (double[] X, double Value, int Evaluations) Minimise(Func<double[], double> f, double[] start,
        double step = 0.5, int maxEvaluations = 20_000, double tol = 1e-10)
    {
        var n = start.Length;
        var pts = new double[n + 1][];
        var vals = new double[n + 1];
        var evals = 0;
        double Eval(double[] x) { evals++; var v = f(x); return double.IsFinite(v) ? v : double.MaxValue; }
        for (var i = 0; i <= n; i++)
        {
            pts[i] = (double[])start.Clone();
            if (i > 0) pts[i][i - 1] += step;
            vals[i] = Eval(pts[i]);
        }
        var order = new int[n + 1];
        while (evals < maxEvaluations)
        {
            for (var i = 0; i <= n; i++) order[i] = i;
            Array.Sort(order, (a, b) => vals[a].CompareTo(vals[b]));
            int best = order[0], worst = order[n], second = order[n - 1];
            if (Math.Abs(vals[worst] - vals[best]) <= tol * (Math.Abs(vals[best]) + tol)) break;
            var centroid = new double[n];
            for (var i = 0; i <= n; i++)
                if (i != worst) for (var j = 0; j < n; j++) centroid[j] += pts[i][j] / n;
            double[] Along(double t) { var x = new double[n]; for (var j = 0; j < n; j++) x[j] = centroid[j] + t * (pts[worst][j] - centroid[j]); return x; }
            var xr = Along(-1); var fr = Eval(xr);
            if (fr < vals[best])
            {
                var xe = Along(-2); var fe = Eval(xe);
                if (fe < fr) { pts[worst] = xe; vals[worst] = fe; } else { pts[worst] = xr; vals[worst] = fr; }
            }
            else if (fr < vals[second]) { pts[worst] = xr; vals[worst] = fr; }
            else
            {
                var xc = fr < vals[worst] ? Along(-0.5) : Along(0.5);
                var fc = Eval(xc);
                if (fc < Math.Min(fr, vals[worst])) { pts[worst] = xc; vals[worst] = fc; }
                else
                {
                    for (var i = 0; i <= n; i++)
                    {
                        if (i == best) continue;
                        for (var j = 0; j < n; j++) pts[i][j] = pts[best][j] + 0.5 * (pts[i][j] - pts[best][j]);
                        vals[i] = Eval(pts[i]);
                    }
                }
            }
        }
        var b = 0;
        for (var i = 1; i <= n; i++) if (vals[i] < vals[b]) b = i;
        return (pts[b], vals[b], evals);
    }
}
