using Atelier.Ml.Sparse;

namespace Atelier.Ml.Recommenders;

/// <summary>
/// Popularity within the user's segment (age band, country, customer group …), smoothed towards the overall popularity
/// so that small segments fall back gracefully: score_s(i) = (w_s(i) + m·p(i)) / (W_s + m), where w_s(i) is the
/// segment's (time-decayed) weight on item i, W_s its total, p(i) the overall share and m the prior weight — additive
/// Dirichlet-prior smoothing (Zhai &amp; Lafferty 2004, "A study of smoothing methods for language models", §2).
/// Users with an unknown segment (-1) or outside the segment map get the overall ranking; new customers with a known
/// segment and no history use <see cref="RecommendSegment"/>.
/// </summary>
public sealed class SegmentPopularityRecommender : RecommenderBase
{
    private readonly int[] _segmentOfUser;
    private readonly float _prior;
    private double _globalTotal;
    private float[] _global = [];
    private float[][] _weights = [];
    private float[] _totals = [];
    private int[][] _ranked = [];
    private int[] _globalRanked = [];

    /// <param name="segmentOfUser">Segment 0..S-1 of each user index, -1 when unknown.</param>
    /// <param name="priorWeight">m: how much overall weight a segment's list borrows (in units of its own purchase weight).</param>
    public SegmentPopularityRecommender(int[] segmentOfUser, float priorWeight = 50f)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(priorWeight);
        if (segmentOfUser.Any(s => s < -1)) throw new ArgumentException("segments are 0.. or -1 (unknown)", nameof(segmentOfUser));
        _segmentOfUser = segmentOfUser;
        _prior = priorWeight;
        Segments = segmentOfUser.Length == 0 ? 0 : Math.Max(0, segmentOfUser.Max() + 1);
    }

    public override string Name => "segment_popularity";
    public override int ItemCount => _global.Length;
    public int Segments { get; private set; }

    /// <summary>The segment map the model was built with (segment of each user index, -1 unknown); do not modify.</summary>
    public int[] UserSegments => _segmentOfUser;

    /// <summary>Segment of a user index (-1 when unknown or outside the map).</summary>
    public int SegmentOf(int user) => user >= 0 && user < _segmentOfUser.Length ? _segmentOfUser[user] : -1;

    /// <summary>Rows = users (values = purchase weights, e.g. time-decayed); rows beyond the segment map count overall only.</summary>
    public override void Fit(CsrMatrix userItems)
    {
        int items = userItems.Cols;
        var global = new float[items];
        var weights = new float[Segments][];
        for (int s = 0; s < Segments; s++) weights[s] = new float[items];
        var totals = new float[Segments];
        for (int u = 0; u < userItems.Rows; u++)
        {
            int s = SegmentOf(u);
            var idx = userItems.RowIndices(u);
            var val = userItems.RowValues(u);
            for (int k = 0; k < idx.Length; k++)
            {
                global[idx[k]] += val[k];
                if (s < 0) continue;
                weights[s][idx[k]] += val[k];
                totals[s] += val[k];
            }
        }
        Set(global, weights, totals);
    }

    private void Set(float[] global, float[][] weights, float[] totals)
    {
        _global = global;
        _globalTotal = 0;
        foreach (float g in global) _globalTotal += g;
        _weights = weights;
        _totals = totals;
        _globalRanked = Rank(global);
        _ranked = new int[Segments][];
        var scores = new float[global.Length];
        for (int s = 0; s < Segments; s++)
        {
            for (int i = 0; i < scores.Length; i++) scores[i] = ScoreOf(s, i);
            _ranked[s] = Rank(scores);
        }
    }

    /// <summary>The smoothed score of one item in one segment (the overall weight for an unknown segment).</summary>
    public float ScoreOf(int segment, int item)
    {
        if (segment < 0 || segment >= Segments) return _global[item];
        float share = _globalTotal > 0 ? (float)(_global[item] / _globalTotal) : 0f, denominator = _totals[segment] + _prior;
        return denominator > 0 ? (_weights[segment][item] + _prior * share) / denominator : share;
    }

    private static int[] Rank(float[] scores)
    {
        var items = new int[scores.Length];
        var sc = new float[scores.Length];
        int m = TopK.Select(scores, items, sc, float.Epsilon);
        return items.AsSpan(0, m).ToArray();
    }

    protected override void ScoreUser(int user, CsrMatrix userItems, Span<float> scores)
    {
        int s = SegmentOf(user);
        for (int i = 0; i < scores.Length; i++) scores[i] = ScoreOf(s, i);
    }

    /// <summary>Walks the user's segment ranking: O(n + row length) per user.</summary>
    public override RecommendationBatch Recommend(ReadOnlySpan<int> users, CsrMatrix userItems, int n, bool filterAlreadyLiked = true,
        ItemSet? filterItems = null)
    {
        var batch = new RecommendationBatch(users.Length, n);
        for (int row = 0; row < users.Length; row++)
        {
            int u = users[row];
            var owned = filterAlreadyLiked && u >= 0 && u < userItems.Rows ? userItems.RowIndices(u) : [];
            Walk(SegmentOf(u), owned, filterItems, batch.ItemsOf(row), batch.ScoresOf(row));
        }
        return batch;
    }

    /// <summary>The segment's list for a customer without history (-1 or an unknown segment: the overall list).</summary>
    public RecommendationBatch RecommendSegment(int segment, int n, ItemSet? filterItems = null)
    {
        var batch = new RecommendationBatch(1, n);
        Walk(segment, [], filterItems, batch.ItemsOf(0), batch.ScoresOf(0));
        return batch;
    }

    private void Walk(int segment, ReadOnlySpan<int> owned, ItemSet? filterItems, Span<int> items, Span<float> outScores)
    {
        bool known = segment >= 0 && segment < Segments;
        var ranked = known ? _ranked[segment] : _globalRanked;
        int c = 0;
        for (int r = 0; r < ranked.Length && c < items.Length; r++)
        {
            int i = ranked[r];
            if (filterItems is not null && filterItems.Contains(i)) continue;
            if (owned.Length > 0 && owned.BinarySearch(i) >= 0) continue;
            items[c] = i;
            outScores[c++] = ScoreOf(segment, i);
        }
    }

    public override RecommendationBatch SimilarItems(int item, int n) => new(1, n);

    public override void Save(Stream stream)
    {
        using var w = Writer(stream, Name);
        w.Write(_prior);
        Binary.WriteArray(w, _segmentOfUser);
        Binary.WriteArray(w, _global);
        Binary.WriteArray(w, _totals);
        for (int s = 0; s < Segments; s++) Binary.WriteArray(w, _weights[s]);
    }

    public static SegmentPopularityRecommender Load(Stream stream)
    {
        using var r = Reader(stream, "segment_popularity");
        float prior = r.ReadSingle();
        var m = new SegmentPopularityRecommender(Binary.ReadInts(r), prior);
        var global = Binary.ReadFloats(r);
        var totals = Binary.ReadFloats(r);
        if (totals.Length != m.Segments) throw new InvalidDataException("corrupt segment popularity model");
        var weights = new float[m.Segments][];
        for (int s = 0; s < m.Segments; s++)
        {
            weights[s] = Binary.ReadFloats(r);
            if (weights[s].Length != global.Length) throw new InvalidDataException("corrupt segment popularity model");
        }
        m.Set(global, weights, totals);
        return m;
    }
}
