namespace Atelier.Ml.Text;

/// <summary>
/// Lower-cased word tokens for the supervised models: runs of letters/digits, with inner apostrophes kept
/// ("don't", "5'8") and "!" / "?" as tokens of their own; every other character separates tokens.
/// </summary>
public static class WordTokenizer
{
    public static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        Tokenize(text, tokens);
        return tokens;
    }

    public static void Tokenize(ReadOnlySpan<char> text, List<string> tokens)
    {
        Span<char> buf = stackalloc char[64];
        var len = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            if (char.IsLetterOrDigit(c))
            {
                if (len < buf.Length) buf[len++] = char.ToLowerInvariant(c);
                continue;
            }
            var apostrophe = (c == '\'' || c == '\u2019') && len > 0 && i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1]);
            if (apostrophe)
            {
                if (len < buf.Length) buf[len++] = '\'';
                continue;
            }
            if (len > 0)
            {
                tokens.Add(new string(buf[..len]));
                len = 0;
            }
            if (c is '!' or '?') tokens.Add(c == '!' ? "!" : "?");
        }
    }
}
