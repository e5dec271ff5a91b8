using System.Text;

namespace Atelier.Services.Datasets;

/// <summary>
/// Streaming RFC 4180 reader: quoted fields, doubled quotes, CR/LF inside quotes. Reuses its field buffers, so
/// a field is only materialised as a string when asked for. Tracks the physical line number of each record and
/// keeps the raw record text for quarantine.
/// </summary>
public sealed class CsvRecordReader : IDisposable
{
    private readonly TextReader _reader;
    private readonly char _separator;
    private readonly StringBuilder _raw = new(256);
    private readonly List<(int Start, int Length)> _fields = new(32);
    private char[] _buffer = new char[1024];
    private int _length;
    private int _nextLine = 1;

    public CsvRecordReader(TextReader reader, char separator = ',')
    {
        _reader = reader;
        _separator = separator;
    }

    /// <summary>Line number (1-based) at which the current record starts.</summary>
    public int LineNumber { get; private set; }

    /// <summary>True when the current record ended inside an unterminated quote (a truncated file).</summary>
    public bool Truncated { get; private set; }

    public int FieldCount => _fields.Count;

    public string RawRecord => _raw.ToString();

    public ReadOnlySpan<char> this[int index] =>
        index < _fields.Count ? _buffer.AsSpan(_fields[index].Start, _fields[index].Length) : ReadOnlySpan<char>.Empty;

    public string GetString(int index) => new(this[index]);

    public bool Read()
    {
        _fields.Clear();
        _raw.Clear();
        _length = 0;
        Truncated = false;
        LineNumber = _nextLine;
        var c = _reader.Read();
        if (c < 0) return false;
        var fieldStart = 0;
        var inQuotes = false;
        var wasQuoted = false;
        while (true)
        {
            if (c < 0)
            {
                Truncated = inQuotes;
                break;
            }
            var ch = (char)c;
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (_reader.Peek() == '"')
                    {
                        _reader.Read();
                        _raw.Append('"').Append('"');
                        Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                        _raw.Append('"');
                    }
                }
                else
                {
                    if (ch == '\n') _nextLine++;
                    _raw.Append(ch);
                    Append(ch);
                }
            }
            else if (ch == '"' && _length == fieldStart && !wasQuoted)
            {
                inQuotes = true;
                wasQuoted = true;
                _raw.Append(ch);
            }
            else if (ch == _separator)
            {
                _fields.Add((fieldStart, _length - fieldStart));
                fieldStart = _length;
                wasQuoted = false;
                _raw.Append(ch);
            }
            else if (ch == '\n')
            {
                _nextLine++;
                break;
            }
            else if (ch == '\r')
            {
                if (_reader.Peek() == '\n') _reader.Read();
                _nextLine++;
                break;
            }
            else
            {
                _raw.Append(ch);
                Append(ch);
            }
            c = _reader.Read();
        }
        _fields.Add((fieldStart, _length - fieldStart));
        return true;
    }

    private void Append(char ch)
    {
        if (_length == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        _buffer[_length++] = ch;
    }

    public void Dispose() => _reader.Dispose();
}
