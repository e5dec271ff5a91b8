using System.Numerics.Tensors;

namespace Atelier.Ml.Text;

/// <summary>
/// Limited-memory BFGS (Nocedal 1980; two-loop recursion, Nocedal &amp; Wright 2006, Alg. 7.4) with a backtracking
/// Armijo line search. Minimises a smooth convex objective in place.
/// </summary>
internal static class Lbfgs
{
    /// <summary>Returns f(x) and writes ∇f(x) into grad.</summary>
    public delegate double Objective(double[] x, double[] grad);

    public static (int Iterations, double Value) Minimize(double[] x, Objective f, int maxIterations, double tolerance,
        double relativeTolerance = 1e-8, int memory = 8)
    {
        var n = x.Length;
        var g = new double[n];
        var gNew = new double[n];
        var dir = new double[n];
        var xNew = new double[n];
        var s = new double[memory][];
        var y = new double[memory][];
        var rho = new double[memory];
        var alpha = new double[memory];
        for (var i = 0; i < memory; i++)
        {
            s[i] = new double[n];
            y[i] = new double[n];
        }
        var fx = f(x, g);
        var stored = 0;
        var head = 0;
        var iter = 0;
        var smallSteps = 0;
        for (; iter < maxIterations; iter++)
        {
            var gNorm = Math.Sqrt(TensorPrimitives.Dot<double>(g, g));
            if (gNorm <= tolerance * Math.Max(1.0, Math.Abs(fx) / Math.Sqrt(n))) break;
            // Two-loop recursion: dir = -H g.
            g.AsSpan().CopyTo(dir);
            for (var k = 0; k < stored; k++)
            {
                var i = (head - 1 - k + memory) % memory;
                alpha[i] = rho[i] * TensorPrimitives.Dot<double>(s[i], dir);
                TensorPrimitives.MultiplyAdd<double>(y[i], -alpha[i], dir, dir);
            }
            if (stored > 0)
            {
                var last = (head - 1 + memory) % memory;
                var gamma = TensorPrimitives.Dot<double>(s[last], y[last]) / TensorPrimitives.Dot<double>(y[last], y[last]);
                TensorPrimitives.Multiply<double>(dir, gamma, dir);
            }
            else
            {
                TensorPrimitives.Multiply<double>(dir, 1.0 / Math.Max(gNorm, 1e-12), dir);
            }
            for (var k = stored - 1; k >= 0; k--)
            {
                var i = (head - 1 - k + memory) % memory;
                var beta = rho[i] * TensorPrimitives.Dot<double>(y[i], dir);
                TensorPrimitives.MultiplyAdd<double>(s[i], alpha[i] - beta, dir, dir);
            }
            TensorPrimitives.Negate<double>(dir, dir);
            var slope = TensorPrimitives.Dot<double>(g, dir);
            if (slope >= 0)
            {
                // Not a descent direction (numerical trouble): restart from steepest descent.
                TensorPrimitives.Negate<double>(g, dir);
                TensorPrimitives.Multiply<double>(dir, 1.0 / Math.Max(gNorm, 1e-12), dir);
                slope = TensorPrimitives.Dot<double>(g, dir);
                stored = 0;
            }
            var step = 1.0;
            var accepted = false;
            for (var ls = 0; ls < 40; ls++)
            {
                TensorPrimitives.MultiplyAdd<double>(dir, step, x, xNew);
                var fNew = f(xNew, gNew);
                if (fNew <= fx + 1e-4 * step * slope)
                {
                    accepted = true;
                    TensorPrimitives.Subtract<double>(xNew, x, s[head]);
                    TensorPrimitives.Subtract<double>(gNew, g, y[head]);
                    var sy = TensorPrimitives.Dot<double>(s[head], y[head]);
                    if (sy > 1e-12)
                    {
                        rho[head] = 1.0 / sy;
                        head = (head + 1) % memory;
                        stored = Math.Min(stored + 1, memory);
                    }
                    var relative = (fx - fNew) / Math.Max(Math.Abs(fx), 1.0);
                    xNew.AsSpan().CopyTo(x);
                    gNew.AsSpan().CopyTo(g);
                    fx = fNew;
                    // Stop after three consecutive iterations with a negligible relative decrease.
                    smallSteps = relative < relativeTolerance ? smallSteps + 1 : 0;
                    if (smallSteps >= 3) return (iter + 1, fx);
                    break;
                }
                step *= 0.5;
            }
            if (!accepted) break;
        }
        return (iter, fx);
    }
}
