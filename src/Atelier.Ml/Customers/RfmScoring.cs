namespace Atelier.Ml.Customers;

/// <summary>R, F, M quintile scores (1–5, 5 = best) and the named segment of one customer.</summary>
public readonly record struct RfmScore(int R, int F, int M, RfmSegment Segment);

public enum RfmSegment
{
    Champions, Loyal, PotentialLoyalists, New, Promising, NeedAttention, AboutToSleep, AtRisk, CantLose, Hibernating, Lost,
}

/// <summary>
/// RFM quintile scoring. Scores come from ranks (ties broken by row order, like pandas <c>qcut(rank(method="first"), 5)</c>),
/// so each quintile holds a fifth of the customers. Recency is days since the last purchase (fewer = better = 5).
/// Segments follow the widely used R×F grid (the "RFM segments" map); M is reported but does not change the name:
/// <code>
/// R \ F   1              2              3               4          5
/// 5       New            Potential loy. Potential loy.  Champions  Champions
/// 4       Promising      Potential loy. Potential loy.  Loyal      Loyal
/// 3       About to sleep About to sleep Need attention  Loyal      Loyal
/// 2       Hibernating    Hibernating    At risk         At risk    Can't lose
/// 1       Lost           Hibernating    At risk         At risk    Can't lose
/// </code>
/// </summary>
public static class RfmScoring
{
    public static RfmScore[] Score(ReadOnlySpan<double> recencyDays, ReadOnlySpan<double> frequency, ReadOnlySpan<double> monetary)
    {
        var n = recencyDays.Length;
        var r = Quintiles(recencyDays, descendingIsBetter: false);
        var f = Quintiles(frequency, descendingIsBetter: true);
        var m = Quintiles(monetary, descendingIsBetter: true);
        var result = new RfmScore[n];
        for (var i = 0; i < n; i++) result[i] = new RfmScore(r[i], f[i], m[i], Segment(r[i], f[i]));
        return result;
    }

    /// <summary>Quintile score 1..5 by rank; <paramref name="descendingIsBetter"/> = larger values score higher.</summary>
    public static int[] Quintiles(ReadOnlySpan<double> values, bool descendingIsBetter)
    {
        var n = values.Length;
        var idx = new int[n];
        for (var i = 0; i < n; i++) idx[i] = i;
        var keys = values.ToArray();
        var order = idx.OrderBy(i => keys[i]).ThenBy(i => i).ToArray(); // stable: ties by row order
        var score = new int[n];
        for (var rank = 0; rank < n; rank++)
        {
            var q = Math.Min(4, (int)((long)rank * 5 / n)); // 0..4 from smallest to largest
            score[order[rank]] = descendingIsBetter ? q + 1 : 5 - q;
        }
        return score;
    }

    /// <summary>The rule table in the class summary.</summary>
    public static RfmSegment Segment(int r, int f) => (r, f) switch
    {
        (5, >= 4) => RfmSegment.Champions,
        (3 or 4, >= 4) => RfmSegment.Loyal,
        (4 or 5, 2 or 3) => RfmSegment.PotentialLoyalists,
        (5, 1) => RfmSegment.New,
        (4, 1) => RfmSegment.Promising,
        (3, 3) => RfmSegment.NeedAttention,
        (3, <= 2) => RfmSegment.AboutToSleep,
        (<= 2, 5) => RfmSegment.CantLose,
        (<= 2, 3 or 4) => RfmSegment.AtRisk,
        (1, 1) => RfmSegment.Lost,
        _ => RfmSegment.Hibernating,
    };

    public static string DisplayName(RfmSegment s) => s switch
    {
        RfmSegment.PotentialLoyalists => "Potential loyalists",
        RfmSegment.NeedAttention => "Need attention",
        RfmSegment.AboutToSleep => "About to sleep",
        RfmSegment.AtRisk => "At risk",
        RfmSegment.CantLose => "Can't lose",
        _ => s.ToString(),
    };
}
