using Atelier.Ml.Sparse;

namespace Atelier.Ml.Tests.Recommenders;

public sealed class CsrMatrixTests
{
    [Fact]
    public void Builder_SumsDuplicates_SortsColumns_AndTransposes()
    {
        var m = CsrBuilder.FromTriplets(3, 4, [0, 2, 0, 0, 1], [3, 1, 1, 3, 0], [1f, 2f, 3f, 4f, 5f]);
        Assert.Equal([0, 2, 3, 4], m.IndPtr);
        Assert.Equal([1, 3, 0, 1], m.Indices);
        Assert.Equal([3f, 5f, 5f, 2f], m.Values);
        Assert.Equal(5f, m.Get(0, 3));
        Assert.Equal(0f, m.Get(1, 3));
        var t = m.Transpose();
        Assert.Equal(4, t.Rows);
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 4; c++) Assert.Equal(m.Get(r, c), t.Get(c, r));
    }

    [Fact]
    public void TopK_MatchesFullSort()
    {
        var rng = new Random(1);
        var scores = new float[500];
        for (int i = 0; i < scores.Length; i++) scores[i] = rng.Next(100);
        var items = new int[12];
        var outScores = new float[12];
        Atelier.Ml.Recommenders.TopK.Select(scores, items, outScores);
        var expected = Enumerable.Range(0, 500).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(12).ToArray();
        Assert.Equal(expected, items);
    }
}
