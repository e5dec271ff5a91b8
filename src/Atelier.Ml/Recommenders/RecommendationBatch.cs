namespace Atelier.Ml.Recommenders;

/// <summary>Flat row-major result: row r holds the top <see cref="N"/> items of the r-th requested user (-1 = empty).</summary>
public sealed class RecommendationBatch
{
    public RecommendationBatch(int rows, int n)
    {
        Rows = rows;
        N = n;
        Items = new int[rows * n];
        Scores = new float[rows * n];
        Array.Fill(Items, -1);
    }

    public int Rows { get; }
    public int N { get; }
    public int[] Items { get; }
    public float[] Scores { get; }

    public Span<int> ItemsOf(int row) => Items.AsSpan(row * N, N);
    public Span<float> ScoresOf(int row) => Scores.AsSpan(row * N, N);

    /// <summary>Number of filled slots of a row (results are packed to the left).</summary>
    public int CountOf(int row)
    {
        var items = ItemsOf(row);
        int c = 0;
        while (c < items.Length && items[c] >= 0) c++;
        return c;
    }
}
