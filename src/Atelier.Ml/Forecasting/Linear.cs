namespace Atelier.Ml.Forecasting;

/// <summary>Small dense linear algebra for reconciliation (row-major, in place).</summary>
internal static class Linear
{
    /// <summary>Lower Cholesky factor of an SPD matrix in place (upper triangle left untouched); false if not SPD.</summary>
    public static bool Cholesky(double[] a, int n)
    {
        for (int j = 0; j < n; j++)
        {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++) d -= a[j * n + k] * a[j * n + k];
            if (!(d > 0)) return false;
            d = Math.Sqrt(d);
            a[j * n + j] = d;
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
                a[i * n + j] = s / d;
            }
        }
        return true;
    }

    /// <summary>Solves L L' X = B for B (n × cols, row-major) in place.</summary>
    public static void CholeskySolveColumns(double[] l, int n, double[] b, int cols)
    {
        for (int c = 0; c < cols; c++)
        {
            for (int i = 0; i < n; i++)
            {
                double s = b[i * cols + c];
                for (int k = 0; k < i; k++) s -= l[i * n + k] * b[k * cols + c];
                b[i * cols + c] = s / l[i * n + i];
            }
            for (int i = n - 1; i >= 0; i--)
            {
                double s = b[i * cols + c];
                for (int k = i + 1; k < n; k++) s -= l[k * n + i] * b[k * cols + c];
                b[i * cols + c] = s / l[i * n + i];
            }
        }
    }
}
