using System.Globalization;
using System.Text.Json;

namespace Atelier.Services.Import;

/// <summary>
/// JSON Lines as records: each line is one object; the named top-level keys become fields (numbers and booleans
/// as their JSON text, nested objects flattened as "key value; …"). A line that is not a JSON object is a record
/// with <see cref="Malformed"/> set. Line 1 is a record too (no header): the engine treats it as such.
/// </summary>
public sealed class JsonLinesRecords(TextReader reader, string[] keys) : IRecordReader
{
    private readonly string?[] _values = new string?[keys.Length];
    private string _line = "";

    public int LineNumber { get; private set; }
    public bool Truncated { get; private set; }
    public string? Malformed { get; private set; }
    public int FieldCount => keys.Length;
    public string RawRecord => _line;
    public ReadOnlySpan<char> this[int index] => _values[index];

    public bool Read()
    {
        var line = reader.ReadLine();
        if (line is null) return false;
        LineNumber++;
        _line = line;
        Array.Clear(_values);
        Malformed = null;
        Truncated = false;
        try
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) { Malformed = "line is not a JSON object"; return true; }
            for (var i = 0; i < keys.Length; i++)
                if (doc.RootElement.TryGetProperty(keys[i], out var v)) _values[i] = Text(v);
        }
        catch (JsonException ex)
        {
            Malformed = $"malformed JSON: {ex.Message.Split('.')[0]}";
            Truncated = reader.Peek() < 0 && !line.TrimEnd().EndsWith('}');
        }
        return true;
    }

    private static string? Text(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Object => string.Join("; ", v.EnumerateObject().Select(p =>
            $"{p.Name.TrimEnd(':')} {(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()!.Trim() : p.Value.GetRawText())}")),
        JsonValueKind.Array => v.GetArrayLength().ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    public void Dispose() => reader.Dispose();
}
