namespace Atelier.Ml.Sparse;

/// <summary>
/// Compressed sparse row matrix with float values; column indices are sorted within each row.
/// Rows are users and columns items in every recommender here.
/// </summary>
public sealed class CsrMatrix
{
    public CsrMatrix(int rows, int cols, int[] indptr, int[] indices, float[] values)
    {
        if (indptr.Length != rows + 1) throw new ArgumentException("indptr must have rows + 1 entries.", nameof(indptr));
        if (indices.Length != values.Length || indices.Length != indptr[rows])
            throw new ArgumentException("indices/values must match indptr[rows].", nameof(indices));
        Rows = rows;
        Cols = cols;
        IndPtr = indptr;
        Indices = indices;
        Values = values;
    }

    public int Rows { get; }
    public int Cols { get; }
    public int[] IndPtr { get; }
    public int[] Indices { get; }
    public float[] Values { get; }
    public int NonZeros => IndPtr[Rows];

    public ReadOnlySpan<int> RowIndices(int row) => Indices.AsSpan(IndPtr[row], IndPtr[row + 1] - IndPtr[row]);
    public ReadOnlySpan<float> RowValues(int row) => Values.AsSpan(IndPtr[row], IndPtr[row + 1] - IndPtr[row]);
    public int RowLength(int row) => row < Rows ? IndPtr[row + 1] - IndPtr[row] : 0;

    /// <summary>Value at (row, col) by binary search, 0 when absent.</summary>
    public float Get(int row, int col)
    {
        int k = RowIndices(row).BinarySearch(col);
        return k >= 0 ? Values[IndPtr[row] + k] : 0f;
    }

    public CsrMatrix Transpose()
    {
        var counts = new int[Cols + 1];
        foreach (int c in Indices.AsSpan(0, NonZeros)) counts[c + 1]++;
        for (int c = 0; c < Cols; c++) counts[c + 1] += counts[c];
        var indptr = (int[])counts.Clone();
        var next = counts;
        var indices = new int[NonZeros];
        var values = new float[NonZeros];
        for (int r = 0; r < Rows; r++)
        {
            for (int k = IndPtr[r]; k < IndPtr[r + 1]; k++)
            {
                int pos = next[Indices[k]]++;
                indices[pos] = r;
                values[pos] = Values[k];
            }
        }
        return new CsrMatrix(Cols, Rows, indptr, indices, values);
    }

    /// <summary>Same sparsity pattern with every value replaced by <paramref name="map"/>(value).</summary>
    public CsrMatrix MapValues(Func<float, float> map)
    {
        var values = new float[NonZeros];
        for (int k = 0; k < values.Length; k++) values[k] = map(Values[k]);
        return new CsrMatrix(Rows, Cols, IndPtr, Indices, values);
    }

    /// <summary>A copy with <paramref name="rows"/> rows (extra rows empty, surplus rows dropped).</summary>
    public CsrMatrix WithRows(int rows)
    {
        var indptr = new int[rows + 1];
        for (int r = 0; r < rows; r++) indptr[r + 1] = r < Rows ? IndPtr[r + 1] : indptr[r];
        int nnz = indptr[rows];
        return new CsrMatrix(rows, Cols, indptr, Indices.AsSpan(0, nnz).ToArray(), Values.AsSpan(0, nnz).ToArray());
    }

    public void Write(BinaryWriter w)
    {
        w.Write(Rows);
        w.Write(Cols);
        Binary.WriteArray(w, IndPtr);
        Binary.WriteArray(w, Indices);
        Binary.WriteArray(w, Values);
    }

    public static CsrMatrix Read(BinaryReader r)
    {
        int rows = r.ReadInt32(), cols = r.ReadInt32();
        return new CsrMatrix(rows, cols, Binary.ReadInts(r), Binary.ReadInts(r), Binary.ReadFloats(r));
    }
}
