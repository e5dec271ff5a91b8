namespace Atelier.Ml.Customers;

/// <summary>Small dense helpers for the customer models (d ≤ a few dozen).</summary>
internal static class LinearAlgebra
{
    /// <summary>Solves A x = b (A row-major n×n) by Gaussian elimination with partial pivoting; A and b are not modified.</summary>
    public static double[] Solve(double[] a, double[] b, int n)
    {
        var m = (double[])a.Clone(); var x = (double[])b.Clone();
        for (var c = 0; c < n; c++)
        {
            var piv = c;
            for (var r = c + 1; r < n; r++) if (Math.Abs(m[r * n + c]) > Math.Abs(m[piv * n + c])) piv = r;
            if (piv != c)
            {
                for (var k = 0; k < n; k++) (m[c * n + k], m[piv * n + k]) = (m[piv * n + k], m[c * n + k]);
                (x[c], x[piv]) = (x[piv], x[c]);
            }
            var d = m[c * n + c];
            if (Math.Abs(d) < 1e-300) throw new InvalidOperationException("singular system");
            for (var r = c + 1; r < n; r++)
            {
                var f = m[r * n + c] / d;
                if (f == 0) continue;
                for (var k = c; k < n; k++) m[r * n + k] -= f * m[c * n + k];
                x[r] -= f * x[c];
            }
        }
        for (var r = n - 1; r >= 0; r--)
        {
            var s = x[r];
            for (var k = r + 1; k < n; k++) s -= m[r * n + k] * x[k];
            x[r] = s / m[r * n + r];
        }
        return x;
    }
}
