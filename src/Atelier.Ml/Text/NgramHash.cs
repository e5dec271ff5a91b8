namespace Atelier.Ml.Text;

/// <summary>64-bit FNV-1a over chars; n-grams are hashed as their parts joined by a separator, so collisions are negligible.</summary>
internal static class NgramHash
{
    public const ulong WordSeed = 14695981039346656037UL;
    public const ulong CharSeed = 0x84222325CBF29CE4UL;
    private const ulong Prime = 1099511628211UL;

    public static ulong Add(ulong h, ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            h ^= c;
            h *= Prime;
        }
        return h;
    }

    public static ulong Add(ulong h, char c)
    {
        h ^= c;
        return h * Prime;
    }

    public static ulong Word(string a) => Add(WordSeed, a);

    public static ulong Bigram(string a, string b) => Add(Add(Add(WordSeed, a), '\u0001'), b);

    /// <summary>Calls <paramref name="emit"/> with the hash of every word 1..maxN-gram and char n-gram of the tokens.</summary>
    public static void ForEach(List<string> tokens, TfidfOptions o, Action<ulong, bool> emit)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            emit(Word(tokens[i]), false);
            if (o.WordNgramMax >= 2 && i + 1 < tokens.Count) emit(Bigram(tokens[i], tokens[i + 1]), false);
        }
        if (o.CharNgramMin <= 0) return;
        Span<char> padded = stackalloc char[66];
        foreach (var t in tokens)
        {
            var len = Math.Min(t.Length, 64) + 2;
            padded[0] = ' ';
            t.AsSpan(0, len - 2).CopyTo(padded[1..]);
            padded[len - 1] = ' ';
            for (var n = o.CharNgramMin; n <= o.CharNgramMax && n <= len; n++)
                for (var s = 0; s + n <= len; s++)
                    emit(Add(CharSeed + (ulong)n, padded.Slice(s, n)), true);
        }
    }
}
