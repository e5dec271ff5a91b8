namespace Atelier.Ml.Customers;

/// <summary>R, F, M quintile scores (1–5, 5 = best) and the named segment of one customer.</summary>
public readonly record struct RfmScore(int R, int F, int M, RfmSegment Segment);

public enum RfmSegment
{
    Champions, Loyal, PotentialLoyalists, New, Promising, NeedAttention, AboutToSleep, AtRisk, CantLose, Hibernating, Lost,
}

/// <summary>
/// RFM quintile scoring. Scores come from mid-ranks: customers with equal values share one score (a block of ties is
/// placed by the mean of the rank positions it spans), so identical behaviour never gets two different scores and no
/// score depends on row order. Without ties each quintile holds a fifth of the customers; with a large tied block (many
/// one-order customers) the quintiles are uneven, unlike pandas <c>qcut(rank(method="first"), 5)</c>. Recency is days since the last purchase (fewer = better = 5).
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

    /// <summary>Quintile score 1..5 by mid-rank; <paramref name="descendingIsBetter"/> = larger values score higher.</summary>
    public static int[] Quintiles(ReadOnlySpan<double> values, bool descendingIsBetter)
    {
        var n = values.Length;
        var keys = values.ToArray();
        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        Array.Sort(keys, order);
        var score = new int[n];
        for (var start = 0; start < n;)
        {
            var end = start + 1;
            while (end < n && keys[end] == keys[start]) end++;
            var midRank = (start + end - 1) / 2.0; // mean position of the tied block, 0-based
            var q = Math.Min(4, (int)(midRank * 5 / n)); // 0..4 from smallest to largest
            for (var k = start; k < end; k++) score[order[k]] = descendingIsBetter ? q + 1 : 5 - q;
            start = end;
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
