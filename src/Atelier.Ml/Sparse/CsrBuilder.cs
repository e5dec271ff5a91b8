namespace Atelier.Ml.Sparse;

/// <summary>Builds a <see cref="CsrMatrix"/> from (row, col, value) triplets, summing duplicates.</summary>
public sealed class CsrBuilder
{
    private readonly List<int> _rows = [];
    private readonly List<int> _cols = [];
    private readonly List<float> _values = [];

    public void Add(int row, int col, float value)
    {
        _rows.Add(row);
        _cols.Add(col);
        _values.Add(value);
    }

    public int Count => _rows.Count;

    public CsrMatrix Build(int rows, int cols) =>
        FromTriplets(rows, cols, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_rows),
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_cols),
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_values));

    public static CsrMatrix FromTriplets(int rows, int cols, ReadOnlySpan<int> r, ReadOnlySpan<int> c, ReadOnlySpan<float> v)
    {
        if (r.Length != c.Length || r.Length != v.Length) throw new ArgumentException("Triplet arrays differ in length.");
        var counts = new int[rows + 1];
        for (int k = 0; k < r.Length; k++)
        {
            if ((uint)r[k] >= (uint)rows || (uint)c[k] >= (uint)cols) throw new ArgumentOutOfRangeException(nameof(r), "Triplet out of range.");
            counts[r[k] + 1]++;
        }
        for (int i = 0; i < rows; i++) counts[i + 1] += counts[i];
        var next = (int[])counts.Clone();
        var idx = new int[r.Length];
        var val = new float[r.Length];
        for (int k = 0; k < r.Length; k++)
        {
            int pos = next[r[k]]++;
            idx[pos] = c[k];
            val[pos] = v[k];
        }
        // Sort each row by column and sum duplicates in place.
        var indptr = new int[rows + 1];
        int write = 0;
        for (int i = 0; i < rows; i++)
        {
            int start = counts[i], end = counts[i + 1];
            Array.Sort(idx, val, start, end - start);
            for (int k = start; k < end; k++)
            {
                if (write > indptr[i] && idx[write - 1] == idx[k]) val[write - 1] += val[k];
                else
                {
                    idx[write] = idx[k];
                    val[write] = val[k];
                    write++;
                }
            }
            indptr[i + 1] = write;
        }
        return new CsrMatrix(rows, cols, indptr, idx.AsSpan(0, write).ToArray(), val.AsSpan(0, write).ToArray());
    }
}
