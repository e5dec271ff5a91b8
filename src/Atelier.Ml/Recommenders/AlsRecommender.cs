using System.Numerics.Tensors;
using Atelier.Ml.Sparse;

namespace Atelier.Ml.Recommenders;

public sealed record AlsOptions(int Factors = 64, float Regularization = 0.01f, float Alpha = 40f, int Iterations = 15,
    int CgSteps = 3, int Seed = 42);

/// <summary>
/// Implicit-feedback ALS: confidence c = 1 + α·r and preference p = 1 for observed pairs
/// (Hu, Koren &amp; Volinsky 2008), each half-step solved by a few conjugate-gradient steps warm-started from the
/// previous factors with YᵀY precomputed (Takács, Pilászy &amp; Tikk 2011).
/// </summary>
public sealed class AlsRecommender : RecommenderBase
{
    public AlsRecommender(AlsOptions? options = null) => Options = options ?? new AlsOptions();

    public AlsOptions Options { get; private set; }
    public int Factors => Options.Factors;
    public float[] UserFactors { get; private set; } = [];
    public float[] ItemFactors { get; private set; } = [];
    public int UserCount => UserFactors.Length / Factors;
    public override int ItemCount => ItemFactors.Length / Factors;
    public override string Name => "als";
    protected override float MinScore => float.NegativeInfinity;

    /// <summary>Called after each iteration with (iteration, loss) when set; costs one pass over the data.</summary>
    public Action<int, double>? OnIteration { get; set; }

    public override void Fit(CsrMatrix userItems)
    {
        int f = Factors;
        var rng = new Random(Options.Seed);
        UserFactors = RandomFactors(userItems.Rows, f, rng);
        ItemFactors = RandomFactors(userItems.Cols, f, rng);
        var itemUsers = userItems.Transpose();
        for (int it = 0; it < Options.Iterations; it++)
        {
            Iterate(userItems, itemUsers);
            if (OnIteration is not null) OnIteration(it, Loss(userItems));
        }
        CheckFinite();
        // An item nobody interacted with has no collaborative signal: its factors would only be what is left of the
        // random start after the CG steps. Zero them, and never recommend it (see ScoreUser).
        for (int i = 0; i < itemUsers.Rows; i++)
            if (itemUsers.RowLength(i) == 0) ItemFactors.AsSpan(i * f, f).Clear();
        _withoutData = null;
    }

    private bool[]? _withoutData;

    /// <summary>Items whose factors are all zero: not seen in training (derived, so loaded models get it too).</summary>
    private bool[] WithoutData => _withoutData ??= Enumerable.Range(0, ItemCount)
        .Select(i => !ItemFactors.AsSpan(i * Factors, Factors).ContainsAnyExcept(0f)).ToArray();

    /// <summary>One full iteration (users then items).</summary>
    public void Iterate(CsrMatrix userItems, CsrMatrix itemUsers)
    {
        SolveHalf(userItems, UserFactors, ItemFactors, Options.CgSteps);
        SolveHalf(itemUsers, ItemFactors, UserFactors, Options.CgSteps);
        _withoutData = null;
    }

    /// <summary>Initialises factors without iterating (for benchmarks and loss tests).</summary>
    public void Initialise(int users, int items)
    {
        var rng = new Random(Options.Seed);
        UserFactors = RandomFactors(users, Factors, rng);
        ItemFactors = RandomFactors(items, Factors, rng);
        _withoutData = null;
    }

    private static float[] RandomFactors(int rows, int f, Random rng)
    {
        var a = new float[rows * f];
        for (int k = 0; k < a.Length; k++) a[k] = (float)(rng.NextDouble() * 0.01);
        return a;
    }

    /// <summary>
    /// Solves X given Y for every row of <paramref name="rows"/>: (YᵀY + Yᵀ(Cu − I)Y + λI) x = YᵀCu p(u).
    /// </summary>
    private void SolveHalf(CsrMatrix rows, float[] x, float[] y, int cgSteps, int[]? only = null)
    {
        int f = Factors;
        var yty = Gram(y, f, Options.Regularization);
        float alpha = Options.Alpha;
        int count = only?.Length ?? rows.Rows;
        Parallel.For(0, count, MlParallel.Options, () => new float[3 * f], (t, _, scratch) =>
        {
            int u = only is null ? t : only[t];
            var xu = x.AsSpan(u * f, f);
            var r = scratch.AsSpan(0, f);
            var p = scratch.AsSpan(f, f);
            var ap = scratch.AsSpan(2 * f, f);
            var idx = u < rows.Rows ? rows.RowIndices(u) : [];
            var val = u < rows.Rows ? rows.RowValues(u) : [];

            // r = b − A x
            MatVec(yty, xu, r, f);
            TensorPrimitives.Negate(r, r);
            for (int k = 0; k < idx.Length; k++)
            {
                var yi = y.AsSpan(idx[k] * f, f);
                float c = 1f + alpha * val[k];
                TensorPrimitives.MultiplyAdd(yi, c - (c - 1f) * TensorPrimitives.Dot(yi, xu), r, r);
            }
            r.CopyTo(p);
            float rsOld = TensorPrimitives.Dot(r, r);
            for (int step = 0; step < cgSteps && rsOld > 1e-20f; step++)
            {
                MatVec(yty, p, ap, f);
                for (int k = 0; k < idx.Length; k++)
                {
                    var yi = y.AsSpan(idx[k] * f, f);
                    TensorPrimitives.MultiplyAdd(yi, alpha * val[k] * TensorPrimitives.Dot(yi, p), ap, ap);
                }
                float pap = TensorPrimitives.Dot(p, ap);
                if (!(pap > 0)) break;
                float a = rsOld / pap;
                TensorPrimitives.MultiplyAdd(p, a, xu, xu);
                TensorPrimitives.MultiplyAdd(ap, -a, r, r);
                float rsNew = TensorPrimitives.Dot(r, r);
                // p = r + (rsNew/rsOld) p
                TensorPrimitives.MultiplyAdd(p, rsNew / rsOld, r, p);
                rsOld = rsNew;
            }
            return scratch;
        }, _ => { });
    }

    /// <summary>YᵀY + λI as a flat f×f matrix (accumulated in double for stability).</summary>
    private static float[] Gram(float[] y, int f, float lambda)
    {
        int n = y.Length / f;
        var acc = new double[f * f];
        for (int i = 0; i < n; i++)
        {
            var yi = y.AsSpan(i * f, f);
            for (int a = 0; a < f; a++)
            {
                double ya = yi[a];
                if (ya == 0) continue;
                for (int b = 0; b < f; b++) acc[a * f + b] += ya * yi[b];
            }
        }
        var g = new float[f * f];
        for (int k = 0; k < g.Length; k++) g[k] = (float)acc[k];
        for (int a = 0; a < f; a++) g[a * f + a] += lambda;
        return g;
    }

    private static void MatVec(float[] m, ReadOnlySpan<float> v, Span<float> result, int f)
    {
        for (int a = 0; a < f; a++) result[a] = TensorPrimitives.Dot(m.AsSpan(a * f, f), v);
    }

    /// <summary>
    /// The objective Σ_u Σ_i c_ui (p_ui − x_uᵀy_i)² + λ(Σ‖x_u‖² + Σ‖y_i‖²), computed as
    /// Σ_u x_uᵀ(YᵀY)x_u + Σ_observed [c(1 − s)² − s²] + λ(…) so that it costs O(nnz·f + (users+items)·f²).
    /// </summary>
    public double Loss(CsrMatrix userItems)
    {
        int f = Factors;
        var yty = Gram(ItemFactors, f, 0f);
        double total = 0;
        object gate = new();
        Parallel.For(0, userItems.Rows, MlParallel.Options, () => (sum: 0.0, tmp: new float[f]), (u, _, st) =>
        {
            var xu = UserFactors.AsSpan(u * f, f);
            MatVec(yty, xu, st.tmp, f);
            double s = TensorPrimitives.Dot(xu, st.tmp);
            var idx = userItems.RowIndices(u);
            var val = userItems.RowValues(u);
            for (int k = 0; k < idx.Length; k++)
            {
                double pred = TensorPrimitives.Dot(xu, ItemFactors.AsSpan(idx[k] * f, f));
                double c = 1 + Options.Alpha * val[k];
                s += c * (1 - pred) * (1 - pred) - pred * pred;
            }
            s += Options.Regularization * TensorPrimitives.SumOfSquares(xu);
            return (st.sum + s, st.tmp);
        }, st => { lock (gate) total += st.sum; });
        total += Options.Regularization * TensorPrimitives.SumOfSquares(ItemFactors);
        return total;
    }

    private void CheckFinite()
    {
        if (!float.IsFinite(TensorPrimitives.Sum(UserFactors)) || !float.IsFinite(TensorPrimitives.Sum(ItemFactors)))
            throw new InvalidOperationException("ALS diverged: factors contain NaN or infinity (lower alpha or raise regularization).");
    }

    protected override void ScoreUser(int user, CsrMatrix userItems, Span<float> scores)
    {
        if (user >= UserCount) return;
        int f = Factors;
        var xu = UserFactors.AsSpan(user * f, f);
        var withoutData = WithoutData;
        for (int i = 0; i < scores.Length; i++)
            scores[i] = withoutData[i] ? float.NegativeInfinity : TensorPrimitives.Dot(ItemFactors.AsSpan(i * f, f), xu);
    }

    /// <summary>Fold-in: solves the given users exactly (f CG steps from zero) with the item factors held fixed.</summary>
    public override void PartialFitUsers(ReadOnlySpan<int> users, CsrMatrix userItems)
    {
        int f = Factors;
        int needed = Math.Max(UserCount, userItems.Rows);
        if (needed > UserCount)
        {
            var grown = new float[needed * f];
            UserFactors.CopyTo(grown, 0);
            UserFactors = grown;
        }
        foreach (int u in users) UserFactors.AsSpan(u * f, f).Clear();
        SolveHalf(userItems, UserFactors, ItemFactors, 2 * f, users.ToArray());
        CheckFinite();
    }

    public override RecommendationBatch SimilarItems(int item, int n)
    {
        int f = Factors, m = ItemCount;
        var batch = new RecommendationBatch(1, n);
        if (item >= m) return batch;
        var norms = new float[m];
        for (int i = 0; i < m; i++) norms[i] = TensorPrimitives.Norm(ItemFactors.AsSpan(i * f, f));
        var target = ItemFactors.AsSpan(item * f, f);
        var scores = new float[m];
        for (int i = 0; i < m; i++)
            scores[i] = norms[i] > 0 && norms[item] > 0
                ? TensorPrimitives.Dot(ItemFactors.AsSpan(i * f, f), target) / (norms[i] * norms[item])
                : float.NegativeInfinity;
        scores[item] = float.NegativeInfinity;
        TopK.Select(scores, batch.ItemsOf(0), batch.ScoresOf(0));
        return batch;
    }

    public override void Save(Stream stream)
    {
        using var w = Writer(stream, Name);
        var o = Options;
        w.Write(o.Factors);
        w.Write(o.Regularization);
        w.Write(o.Alpha);
        w.Write(o.Iterations);
        w.Write(o.CgSteps);
        w.Write(o.Seed);
        Binary.WriteArray(w, UserFactors);
        Binary.WriteArray(w, ItemFactors);
    }

    public static AlsRecommender Load(Stream stream)
    {
        using var r = Reader(stream, "als");
        var o = new AlsOptions(r.ReadInt32(), r.ReadSingle(), r.ReadSingle(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32());
        return new AlsRecommender(o) { UserFactors = Binary.ReadFloats(r), ItemFactors = Binary.ReadFloats(r) };
    }
}
