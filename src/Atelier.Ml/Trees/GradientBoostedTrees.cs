namespace Atelier.Ml.Trees;

/// <summary>
/// Histogram-based gradient-boosted decision trees (leaf-wise growth, quantile bins, missing values routed to the
/// better side, Newton leaf values with L2) for regression, binary log-loss and LambdaRank.
/// </summary>
public sealed class GradientBoostedTrees
{
    private const int FormatVersion = 1;
    private readonly RegressionTree[] _trees;
    private readonly double _initScore;
    private readonly float[] _gain;

    private GradientBoostedTrees(int featureCount, GbdtObjective objective, double initScore, RegressionTree[] trees, float[] gain)
    {
        FeatureCount = featureCount; Objective = objective; _initScore = initScore; _trees = trees; _gain = gain;
    }

    public int FeatureCount { get; }
    public GbdtObjective Objective { get; }
    public int TreeCount => _trees.Length;

    /// <param name="features">Row-major rows×cols; NaN = missing.</param>
    /// <param name="groupSizes">Consecutive query groups (LambdaRank only).</param>
    public static GradientBoostedTrees Fit(float[] features, int rows, int cols, float[] labels, GbdtOptions options,
        int[]? groupSizes = null, float[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(options);
        if (rows <= 0 || cols <= 0 || (long)rows * cols != features.Length)
            throw new ArgumentException("features must hold rows × cols values");
        if (labels.Length != rows) throw new ArgumentException("labels must have one value per row");
        if (weights is not null && weights.Length != rows) throw new ArgumentException("weights must have one value per row");
        if (options.MaxLeaves < 2 || options.Trees < 0 || options.LearningRate <= 0)
            throw new ArgumentException("invalid GBDT options");
        int[]? groupStarts = null;
        if (options.Objective == GbdtObjective.LambdaRank)
        {
            if (groupSizes is null) throw new ArgumentException("LambdaRank needs groupSizes");
            groupStarts = new int[groupSizes.Length + 1];
            for (var q = 0; q < groupSizes.Length; q++) groupStarts[q + 1] = groupStarts[q] + groupSizes[q];
            if (groupStarts[^1] != rows) throw new ArgumentException("groupSizes must sum to rows");
        }

        var binner = FeatureBinner.Build(features, rows, cols, options.MaxBins, options.Seed);
        var bins = binner.BinAll(features, rows, cols);
        var grower = new TreeGrower(bins, rows, binner, options);
        var init = GbdtGradients.InitialScore(options.Objective, labels, weights);
        var scores = new double[rows];
        Array.Fill(scores, init);
        float[] grad = new float[rows], hess = new float[rows];
        var gain = new double[cols];
        var leafOfRow = new int[rows];
        var mask = new bool[cols];
        var rng = new Random(options.Seed);
        var trees = new RegressionTree[options.Trees];
        var bagged = options.BaggingFraction < 1f && options.Objective != GbdtObjective.LambdaRank;
        var inBag = new bool[rows];
        var missingBin = binner.BinCount;
        for (var t = 0; t < options.Trees; t++)
        {
            GbdtGradients.Compute(options.Objective, labels, scores, weights, groupStarts, options.LambdaRankTruncation, grad, hess);
            SampleFeatures(mask, options.FeatureFraction, rng);
            int[] order;
            if (bagged)
            {
                var list = new List<int>((int)(rows * options.BaggingFraction) + 1);
                for (var r = 0; r < rows; r++) { inBag[r] = rng.NextDouble() < options.BaggingFraction; if (inBag[r]) list.Add(r); }
                order = [.. list];
            }
            else
            {
                order = new int[rows];
                for (var r = 0; r < rows; r++) order[r] = r;
            }
            var tree = grower.Grow(order, grad, hess, mask, gain, leafOfRow);
            trees[t] = tree;
            for (var r = 0; r < rows; r++)
            {
                var leaf = !bagged || inBag[r] ? leafOfRow[r] : tree.LeafOfBinned(bins, rows, r, missingBin);
                scores[r] += tree.LeafValue[leaf];
            }
        }
        var gainF = new float[cols];
        for (var f = 0; f < cols; f++) gainF[f] = (float)gain[f];
        return new GradientBoostedTrees(cols, options.Objective, init, trees, gainF);
    }

    private static void SampleFeatures(bool[] mask, float fraction, Random rng)
    {
        if (fraction >= 1f) { Array.Fill(mask, true); return; }
        var k = Math.Max(1, (int)Math.Round(mask.Length * fraction));
        var perm = new int[mask.Length];
        for (var i = 0; i < perm.Length; i++) perm[i] = i;
        rng.Shuffle(perm);
        Array.Clear(mask);
        for (var i = 0; i < k; i++) mask[perm[i]] = true;
    }

    public float PredictRaw(ReadOnlySpan<float> row)
    {
        if (row.Length < FeatureCount) throw new ArgumentException($"row needs {FeatureCount} features");
        var s = _initScore;
        foreach (var t in _trees) s += t.Predict(row);
        return (float)s;
    }

    /// <summary>Raw scores of a row-major batch, rows in parallel.</summary>
    public void PredictRaw(ReadOnlySpan<float> features, int rows, Span<float> output)
    {
        if (features.Length < (long)rows * FeatureCount || output.Length < rows)
            throw new ArgumentException("features/output too small for the batch");
        var cols = FeatureCount;
        var copy = features[..(rows * cols)].ToArray();
        var result = new float[rows];
        Parallel.For(0, rows, MlParallel.Options, r => result[r] = PredictRaw(copy.AsSpan(r * cols, cols)));
        result.CopyTo(output);
    }

    /// <summary>Sigmoid of the raw score (meaningful for BinaryLogLoss).</summary>
    public float PredictProbability(ReadOnlySpan<float> row) => (float)(1 / (1 + Math.Exp(-(double)PredictRaw(row))));

    /// <summary>Total split gain per feature over all trees.</summary>
    public float[] FeatureImportanceGain() => (float[])_gain.Clone();

    public void Save(Stream stream)
    {
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write("ATELIER-GBDT"); w.Write(FormatVersion);
        w.Write(FeatureCount); w.Write((int)Objective); w.Write(_initScore); w.Write(_trees.Length);
        foreach (var g in _gain) w.Write(g);
        foreach (var t in _trees) t.Write(w);
    }

    public static GradientBoostedTrees Load(Stream stream)
    {
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (r.ReadString() != "ATELIER-GBDT" || r.ReadInt32() != FormatVersion)
            throw new InvalidDataException("not an Atelier GBDT model (or an unsupported version)");
        var cols = r.ReadInt32();
        var objective = (GbdtObjective)r.ReadInt32();
        var init = r.ReadDouble();
        var n = r.ReadInt32();
        if (cols <= 0 || n < 0) throw new InvalidDataException("corrupt GBDT header");
        var gain = new float[cols];
        for (var f = 0; f < cols; f++) gain[f] = r.ReadSingle();
        var trees = new RegressionTree[n];
        for (var t = 0; t < n; t++) trees[t] = RegressionTree.Read(r, cols);
        return new GradientBoostedTrees(cols, objective, init, trees, gain);
    }
}
