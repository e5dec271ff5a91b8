using System.Globalization;

namespace Atelier.Services.Import;

/// <summary>Allocation-free field parsing for the import sources (invariant culture, surrounding blanks ignored).</summary>
public static class Fields
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Longest accepted key (ids, refs, codes): keys are unique-indexed, and a B-tree entry over ≈ 2.7 kB would
    /// fail the whole batch instead of quarantining its row.</summary>
    public const int MaxKeyLength = 200;

    /// <summary>"&lt;field&gt; longer than 200 characters" when <paramref name="key"/> is too long, else null.</summary>
    public static string? TooLong(ReadOnlySpan<char> key, string field) =>
        key.Length > MaxKeyLength ? $"{field} longer than {MaxKeyLength} characters" : null;

    public static bool Int(ReadOnlySpan<char> s, out int v) => int.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, Inv, out v);

    public static bool Long(ReadOnlySpan<char> s, out long v) => long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, Inv, out v);

    public static bool Double(ReadOnlySpan<char> s, out double v) =>
        double.TryParse(s.Trim(), NumberStyles.Float, Inv, out v) && double.IsFinite(v);

    public static bool Decimal(ReadOnlySpan<char> s, out decimal v) => decimal.TryParse(s.Trim(), NumberStyles.Float, Inv, out v);

    /// <summary>An integer that may be written as a float by pandas ("17850.0", "21.0").</summary>
    public static bool WholeNumber(ReadOnlySpan<char> s, out long v)
    {
        v = 0;
        s = s.Trim();
        var dot = s.IndexOf('.');
        if (dot >= 0)
        {
            foreach (var c in s[(dot + 1)..]) if (c != '0') return false;
            s = s[..dot];
        }
        return long.TryParse(s, NumberStyles.AllowLeadingSign, Inv, out v);
    }

    public static bool Date(ReadOnlySpan<char> s, string format, out DateOnly v) =>
        DateOnly.TryParseExact(s.Trim(), format, Inv, DateTimeStyles.None, out v);

    public static bool DateTime(ReadOnlySpan<char> s, string format, out DateTime v) =>
        System.DateTime.TryParseExact(s.Trim(), format, Inv, DateTimeStyles.None, out v);

    /// <summary>0/1 flags, also "0.0"/"1.0" and true/false.</summary>
    public static bool Flag(ReadOnlySpan<char> s, out bool v)
    {
        s = s.Trim();
        v = s is "1" or "1.0" || s.Equals("true", StringComparison.OrdinalIgnoreCase);
        return v || s is "0" or "0.0" || s.Equals("false", StringComparison.OrdinalIgnoreCase);
    }

    public static string? NullIfEmpty(ReadOnlySpan<char> s)
    {
        s = s.Trim();
        return s.IsEmpty ? null : new string(s);
    }
}
