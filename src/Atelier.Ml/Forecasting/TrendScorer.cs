namespace Atelier.Ml.Forecasting;

/// <summary>One group's trend assessment at an origin: predicted log growth of the next window and its parts.</summary>
public sealed record TrendScore(int Group, double Score, double Velocity, double Growth, double Acceleration,
    double SeasonalGrowth, double NewArticleShare, double SentimentShift, double[] Contributions);

/// <summary>A group's weekly review sentiment: the sum of review scores (−1..1) and the number of reviews per period.</summary>
public sealed record SentimentSeries(double[] Sum, double[] Count)
{
    // Running totals, so that the group's mean up to any origin costs O(1) in the fit's origins × groups loop.
    private readonly double[] _sumThrough = RunningTotal(Sum), _countThrough = RunningTotal(Count);

    /// <summary>Σ over periods 0..t (clamped to the series).</summary>
    internal (double Sum, double Count) Through(int t) =>
        t < 0 ? (0, 0) : (_sumThrough[Math.Min(t, _sumThrough.Length - 1)], _countThrough[Math.Min(t, _countThrough.Length - 1)]);

    private static double[] RunningTotal(double[] x)
    {
        var r = new double[x.Length];
        double s = 0;
        for (int i = 0; i < x.Length; i++) r[i] = s += x[i];
        return r;
    }
}

/// <summary>
/// Trend detection over grouped weekly sales (product types, colours, departments …). Features at origin t with
/// window w: velocity (units per period over the last w), growth g = log((v_t + c)/(v_{t-w} + c)), acceleration
/// g_t - g_{t-w}, seasonal growth (the same transition one period-of-year earlier, i.e. what seasonality alone
/// predicts), deseasonalised growth g - seasonal, the share of sales from newly launched articles, and the review
/// sentiment shift (mean review score of the last 2w periods minus that of the 13 before, both shrunk towards the
/// group's mean so that a handful of reviews moves little; 0 without reviews). The score is a ridge regression of the
/// realised next-window growth on these features, fitted on earlier origins only.
/// </summary>
public sealed class TrendScorer
{
    public static readonly string[] FeatureNames =
        ["growth", "acceleration", "seasonal_growth", "deseasonalised_growth", "new_article_share", "log_velocity", "sentiment_shift"];

    /// <summary>Pseudo-reviews at the group's mean added to each window of the sentiment shift.</summary>
    public const double SentimentPrior = 5;

    public TrendScorer(int window = 4, int period = 52, double pseudoCount = 2, double ridge = 1)
    {
        Window = window; Period = period; PseudoCount = pseudoCount; Ridge = ridge;
    }

    public int Window { get; }
    public int Period { get; }
    public double PseudoCount { get; }
    public double Ridge { get; }
    public double[] Weights { get; private set; } = [];

    private double Sum(double[] y, int end, int len)
    {
        double s = 0;
        for (int i = Math.Max(0, end - len + 1); i <= end && i < y.Length; i++) s += y[i];
        return s;
    }

    /// <summary>log((Σ y over the window ending at t) + c) − log((Σ over the window before) + c).</summary>
    public double Growth(double[] y, int t) =>
        Math.Log(Sum(y, t, Window) + PseudoCount) - Math.Log(Sum(y, t - Window, Window) + PseudoCount);

    /// <summary>The realised growth from the window ending at t to the next window (the backtest target).</summary>
    public double FutureGrowth(double[] y, int t) => Growth(y, t + Window);

    public int MinOrigin => Period + 2 * Window;

    public void Features(double[] y, double[]? newArticles, int t, Span<double> f) => Features(y, newArticles, null, t, f);

    public void Features(double[] y, double[]? newArticles, SentimentSeries? sentiment, int t, Span<double> f)
    {
        double g = Growth(y, t);
        double gPrev = Growth(y, t - Window);
        double seasonal = t - Period + Window >= Window ? Growth(y, t - Period + Window) : 0;
        double recent = Sum(y, t, Window);
        f[0] = g;
        f[1] = g - gPrev;
        f[2] = seasonal;
        f[3] = g - (t - Period >= Window ? Growth(y, t - Period) : 0);
        f[4] = newArticles is null || recent <= 0 ? 0 : Sum(newArticles, t, Window) / recent;
        f[5] = Math.Log(recent / Window + 1);
        f[6] = sentiment is null ? 0 : SentimentShift(sentiment, t);
    }

    /// <summary>Shrunk mean review score of the last 2w periods minus that of the 13 periods before them.</summary>
    public double SentimentShift(SentimentSeries s, int t)
    {
        var (allSum, allCount) = s.Through(t);
        if (allCount <= 0) return 0;
        double mean = allSum / allCount;
        int recentLen = 2 * Window, beforeLen = 13;
        double rs = Sum(s.Sum, t, recentLen), rn = Sum(s.Count, t, recentLen);
        double bs = Sum(s.Sum, t - recentLen, beforeLen), bn = Sum(s.Count, t - recentLen, beforeLen);
        return (rs + SentimentPrior * mean) / (rn + SentimentPrior) - (bs + SentimentPrior * mean) / (bn + SentimentPrior);
    }

    /// <summary>Fits the ridge weights on origins [firstOrigin, lastOrigin] whose targets end by <c>lastOrigin + Window</c>.</summary>
    public void Fit(IReadOnlyList<double[]> groups, IReadOnlyList<double[]?>? newArticles, int firstOrigin, int lastOrigin,
        IReadOnlyList<SentimentSeries?>? sentiment = null)
    {
        int p = FeatureNames.Length + 1;
        var xtx = new double[p * p];
        var xty = new double[p];
        Span<double> f = stackalloc double[p];
        for (int t = Math.Max(firstOrigin, MinOrigin); t <= lastOrigin; t++)
            for (int gi = 0; gi < groups.Count; gi++)
            {
                f[0] = 1;
                Features(groups[gi], newArticles?[gi], sentiment?[gi], t, f[1..]);
                double target = FutureGrowth(groups[gi], t);
                for (int i = 0; i < p; i++)
                {
                    xty[i] += f[i] * target;
                    for (int j = 0; j < p; j++) xtx[i * p + j] += f[i] * f[j];
                }
            }
        for (int i = 1; i < p; i++) xtx[i * p + i] += Ridge;
        xtx[0] += 1e-9;
        if (!Linear.Cholesky(xtx, p)) { Weights = new double[p]; return; }
        Linear.CholeskySolveColumns(xtx, p, xty, 1);
        Weights = xty;
    }

    /// <summary>Scores every group at origin t, best first (weights from <see cref="Fit"/>).</summary>
    public List<TrendScore> Rank(IReadOnlyList<double[]> groups, IReadOnlyList<double[]?>? newArticles, int t,
        IReadOnlyList<SentimentSeries?>? sentiment = null)
    {
        int p = FeatureNames.Length;
        var list = new List<TrendScore>(groups.Count);
        var f = new double[p];
        for (int gi = 0; gi < groups.Count; gi++)
        {
            Features(groups[gi], newArticles?[gi], sentiment?[gi], t, f);
            var contrib = new double[p];
            double score = Weights.Length > 0 ? Weights[0] : 0;
            for (int i = 0; i < p && Weights.Length > 0; i++) { contrib[i] = Weights[i + 1] * f[i]; score += contrib[i]; }
            list.Add(new TrendScore(gi, score, Sum(groups[gi], t, Window) / Window, f[0], f[1], f[2], f[4], f[6], contrib));
        }
        list.Sort((a, b) => b.Score.CompareTo(a.Score));
        return list;
    }

    /// <summary>|predicted top-K ∩ actual top-K| / K.</summary>
    public static double RecallAtK(IReadOnlyList<int> predicted, IReadOnlyList<int> actual, int k)
    {
        var set = new HashSet<int>(actual.Take(k));
        int hit = predicted.Take(k).Count(set.Contains);
        return (double)hit / k;
    }
}
