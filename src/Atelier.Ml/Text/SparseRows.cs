namespace Atelier.Ml.Text;

/// <summary>Compressed sparse rows (CSR) of float features: row r holds Indices/Values[RowPtr[r]..RowPtr[r+1]).</summary>
public sealed class SparseRows
{
    public SparseRows(int columns, int[] rowPtr, int[] indices, float[] values)
    {
        if (rowPtr.Length == 0 || rowPtr[^1] != indices.Length || indices.Length != values.Length)
            throw new ArgumentException("inconsistent CSR arrays");
        Columns = columns;
        RowPtr = rowPtr;
        Indices = indices;
        Values = values;
    }

    public int Rows => RowPtr.Length - 1;
    public int Columns { get; }
    public int[] RowPtr { get; }
    public int[] Indices { get; }
    public float[] Values { get; }

    public ReadOnlySpan<int> RowIndices(int row) => Indices.AsSpan(RowPtr[row], RowPtr[row + 1] - RowPtr[row]);
    public ReadOnlySpan<float> RowValues(int row) => Values.AsSpan(RowPtr[row], RowPtr[row + 1] - RowPtr[row]);

    /// <summary>A new matrix holding the given rows, in that order.</summary>
    public SparseRows SelectRows(ReadOnlySpan<int> rows)
    {
        var ptr = new int[rows.Length + 1];
        for (var i = 0; i < rows.Length; i++) ptr[i + 1] = ptr[i] + RowPtr[rows[i] + 1] - RowPtr[rows[i]];
        var idx = new int[ptr[^1]];
        var val = new float[ptr[^1]];
        for (var i = 0; i < rows.Length; i++)
        {
            RowIndices(rows[i]).CopyTo(idx.AsSpan(ptr[i]));
            RowValues(rows[i]).CopyTo(val.AsSpan(ptr[i]));
        }
        return new SparseRows(Columns, ptr, idx, val);
    }

    /// <summary>Appends dense columns (e.g. lexicon scores) after the sparse ones: row r gets dense[r*width..].</summary>
    public SparseRows AppendDense(ReadOnlySpan<float> dense, int width)
    {
        if (dense.Length != Rows * width) throw new ArgumentException("dense block has the wrong size", nameof(dense));
        var ptr = new int[Rows + 1];
        var idx = new int[Indices.Length + Rows * width];
        var val = new float[idx.Length];
        var k = 0;
        for (var r = 0; r < Rows; r++)
        {
            RowIndices(r).CopyTo(idx.AsSpan(k));
            RowValues(r).CopyTo(val.AsSpan(k));
            k += RowPtr[r + 1] - RowPtr[r];
            for (var j = 0; j < width; j++)
            {
                idx[k] = Columns + j;
                val[k++] = dense[r * width + j];
            }
            ptr[r + 1] = k;
        }
        return new SparseRows(Columns + width, ptr, idx, val);
    }

    /// <summary>Multiplies column j of every row by scale[j] (NB-SVM log-count ratios, Wang &amp; Manning 2012).</summary>
    public SparseRows ScaleColumns(ReadOnlySpan<float> scale)
    {
        var val = new float[Values.Length];
        for (var i = 0; i < val.Length; i++) val[i] = Values[i] * scale[Indices[i]];
        return new SparseRows(Columns, RowPtr, Indices, val);
    }
}
