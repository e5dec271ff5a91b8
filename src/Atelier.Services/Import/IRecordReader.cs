using Atelier.Services.Datasets;

namespace Atelier.Services.Import;

/// <summary>A stream of records with physical line numbers and the raw text kept for quarantine.</summary>
public interface IRecordReader : IDisposable
{
    bool Read();
    int LineNumber { get; }
    bool Truncated { get; }
    int FieldCount { get; }
    string RawRecord { get; }
    ReadOnlySpan<char> this[int index] { get; }
}

/// <summary>RFC 4180 records through <see cref="CsvRecordReader"/>.</summary>
public sealed class CsvRecords(TextReader reader, char separator = ',') : IRecordReader
{
    private readonly CsvRecordReader _csv = new(reader, separator);

    public bool Read() => _csv.Read();
    public int LineNumber => _csv.LineNumber;
    public bool Truncated => _csv.Truncated;
    public int FieldCount => _csv.FieldCount;
    public string RawRecord => _csv.RawRecord;
    public ReadOnlySpan<char> this[int index] => _csv[index];
    public void Dispose() => _csv.Dispose();
}
