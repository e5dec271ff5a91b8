using System.Buffers.Text;
using System.Text;

namespace Atelier.Services.Api;

/// <summary>
/// Opaque keyset cursor: the sort key of the last row and its id, base64url-encoded as "key|id".
/// Clients must treat it as opaque; a tampered cursor fails to decode and becomes a 400.
/// </summary>
public static class Cursor
{
    public static string Encode(string key, long id) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{key}|{id.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));

    public static bool TryDecode(string? cursor, out string key, out long id)
    {
        key = "";
        id = 0;
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 400) return false;
        byte[] bytes;
        try { bytes = Base64Url.DecodeFromChars(cursor); }
        catch (FormatException) { return false; }
        var text = Encoding.UTF8.GetString(bytes);
        var sep = text.LastIndexOf('|');
        if (sep < 0) return false;
        key = text[..sep];
        return long.TryParse(text[(sep + 1)..], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out id);
    }
}
