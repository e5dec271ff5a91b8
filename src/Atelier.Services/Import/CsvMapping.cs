using System.Text.Json;
using System.Text.Json.Serialization;

namespace Atelier.Services.Import;

/// <summary>
/// The generic CSV mapping (a small JSON file, see docs/import.md): which entity the file holds and which header
/// column feeds which field. Example: <c>{"entity": "orders", "columns": {"order_ref": "Order", "customer_ref":
/// "Customer", "sku": "SKU", "quantity": "Qty", "unit_price": "Price", "placed_at": "Date"}, "date_format": "yyyy-MM-dd"}</c>.
/// </summary>
public sealed class CsvMapping
{
    public static readonly string[] OrderFields = ["order_ref", "customer_ref", "sku", "quantity", "unit_price", "placed_at"];
    public static readonly string[] ProductFields = ["sku", "name", "price"];
    public static readonly string[] OptionalProductFields = ["product_code", "category", "description", "size"];

    [JsonPropertyName("entity")] public string Entity { get; init; } = "";
    [JsonPropertyName("delimiter")] public string Delimiter { get; init; } = ",";
    [JsonPropertyName("date_format")] public string DateFormat { get; init; } = "yyyy-MM-dd HH:mm:ss";
    [JsonPropertyName("time_zone")] public string TimeZone { get; init; } = "UTC";
    [JsonPropertyName("ref_prefix")] public string RefPrefix { get; init; } = "csv:";
    [JsonPropertyName("columns")] public Dictionary<string, string> Columns { get; init; } = [];

    [JsonIgnore] public string Json { get; private set; } = "";

    /// <summary>The header column index of each mapped field, and the header's field count.</summary>
    public (Dictionary<string, int> Columns, int Fields) Resolve(string header)
    {
        var names = header.Split(Delimiter[0]).Select(h => h.Trim().Trim('"')).ToList();
        var col = new Dictionary<string, int>();
        foreach (var (field, column) in Columns)
        {
            var i = names.IndexOf(column);
            if (i < 0) throw new ImportFormatException($"mapping: column '{column}' (for {field}) is not in the header");
            col[field] = i;
        }
        return (col, names.Count);
    }

    public static CsvMapping Load(string path)
    {
        var json = File.ReadAllText(path);
        CsvMapping m;
        try { m = JsonSerializer.Deserialize<CsvMapping>(json) ?? throw new ImportFormatException("empty mapping"); }
        catch (JsonException ex) { throw new ImportFormatException($"mapping {Path.GetFileName(path)}: {ex.Message.Split('.')[0]}"); }
        var required = m.Entity switch
        {
            "orders" => OrderFields,
            "products" => ProductFields,
            _ => throw new ImportFormatException("mapping: \"entity\" must be \"orders\" or \"products\""),
        };
        foreach (var f in required)
            if (!m.Columns.ContainsKey(f)) throw new ImportFormatException($"mapping: columns.{f} is required for {m.Entity}");
        if (m.Delimiter.Length != 1) throw new ImportFormatException("mapping: delimiter must be one character");
        m.Json = json;
        return m;
    }
}
