namespace Atelier.Ml.Recommenders;

/// <summary>Top-k selection with a small binary min-heap (O(m log k)), results sorted by descending score.</summary>
public static class TopK
{
    /// <summary>
    /// Writes the best items of <paramref name="scores"/> into <paramref name="items"/>/<paramref name="outScores"/>.
    /// Items whose score is not finite or below <paramref name="minScore"/>, or that <paramref name="skip"/> reports,
    /// are ignored. Returns the count written; ties are broken by the lower item index.
    /// </summary>
    public static int Select(ReadOnlySpan<float> scores, Span<int> items, Span<float> outScores, float minScore = float.NegativeInfinity,
        Func<int, bool>? skip = null)
    {
        int k = items.Length, size = 0;
        if (k == 0) return 0;
        for (int i = 0; i < scores.Length; i++)
        {
            float s = scores[i];
            if (!(s >= minScore) || float.IsInfinity(s)) continue;
            if (size == k && !Better(s, i, outScores[0], items[0])) continue;
            if (skip is not null && skip(i)) continue;
            Offer(items, outScores, ref size, i, s);
        }
        return Drain(items, outScores, size);
    }

    /// <summary>Top-k over an explicit candidate list (sparse scores).</summary>
    public static int SelectFrom(ReadOnlySpan<int> candidates, ReadOnlySpan<float> candidateScores, Span<int> items, Span<float> outScores,
        Func<int, bool>? skip = null)
    {
        int k = items.Length, size = 0;
        if (k == 0) return 0;
        for (int c = 0; c < candidates.Length; c++)
        {
            float s = candidateScores[c];
            int i = candidates[c];
            if (float.IsNaN(s)) continue;
            if (size == k && !Better(s, i, outScores[0], items[0])) continue;
            if (skip is not null && skip(i)) continue;
            Offer(items, outScores, ref size, i, s);
        }
        return Drain(items, outScores, size);
    }

    /// <summary>Adds a candidate that beats the heap's worst (or fills a free slot) to the min-heap of the k best.</summary>
    private static void Offer(Span<int> items, Span<float> outScores, ref int size, int i, float s)
    {
        if (size < items.Length)
        {
            items[size] = i;
            outScores[size] = s;
            SiftUp(items, outScores, size++);
        }
        else
        {
            items[0] = i;
            outScores[0] = s;
            SiftDown(items, outScores, 0, size);
        }
    }

    /// <summary>Heap sort: the heap is ordered by "worse", so repeated extraction leaves the k best in descending order.</summary>
    private static int Drain(Span<int> items, Span<float> outScores, int size)
    {
        for (int end = size - 1; end > 0; end--)
        {
            (items[0], items[end]) = (items[end], items[0]);
            (outScores[0], outScores[end]) = (outScores[end], outScores[0]);
            SiftDown(items, outScores, 0, end);
        }
        return size;
    }

    private static bool Better(float s, int i, float s0, int i0) => s > s0 || (s == s0 && i < i0);

    private static void SiftUp(Span<int> items, Span<float> scores, int pos)
    {
        while (pos > 0)
        {
            int parent = (pos - 1) >> 1;
            if (!Better(scores[parent], items[parent], scores[pos], items[pos])) break;
            (items[pos], items[parent]) = (items[parent], items[pos]);
            (scores[pos], scores[parent]) = (scores[parent], scores[pos]);
            pos = parent;
        }
    }

    private static void SiftDown(Span<int> items, Span<float> scores, int pos, int size)
    {
        while (true)
        {
            int l = 2 * pos + 1, r = l + 1, worst = pos;
            if (l < size && Better(scores[worst], items[worst], scores[l], items[l])) worst = l;
            if (r < size && Better(scores[worst], items[worst], scores[r], items[r])) worst = r;
            if (worst == pos) return;
            (items[pos], items[worst]) = (items[worst], items[pos]);
            (scores[pos], scores[worst]) = (scores[worst], scores[pos]);
            pos = worst;
        }
    }
}
