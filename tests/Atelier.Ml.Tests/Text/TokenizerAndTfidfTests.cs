using Atelier.Ml.Text;

namespace Atelier.Ml.Tests.Text;

public sealed class TokenizerAndTfidfTests
{
    [Fact]
    public void TokenizerLowercasesKeepsInnerApostrophesAndPunctuationTokens()
    {
        var tokens = WordTokenizer.Tokenize("Don't buy it!! I'm 5'8\", size-M fits?  'quoted'");
        Assert.Equal(["don't", "buy", "it", "!", "!", "i'm", "5'8", "size", "m", "fits", "?", "quoted"], tokens);
    }

    private static readonly string[] Corpus =
    [
        "Runs small. Love the fabric!",
        "love love the colour",
        "runs large, the fabric is thin",
        "the fabric runs small",
    ];

    [Fact]
    public void WordTfidfMatchesNaiveComputation()
    {
        var options = new TfidfOptions { WordNgramMax = 2, MinDf = 1, SublinearTf = true };
        var v = TfidfVectorizer.Fit(Corpus, options);
        var x = v.Transform(Corpus);
        var expected = NaiveTfidf(Corpus, chars: false);
        AssertMatches(v, x, expected);
        Assert.Equal(expected.SelectMany(d => d.Keys).Distinct().Count(), v.Columns);
    }

    [Fact]
    public void CharBlockIsNormalisedSeparatelyAndMatchesNaiveComputation()
    {
        var options = new TfidfOptions { WordNgramMax = 2, MinDf = 1, CharNgramMin = 2, CharNgramMax = 3, SublinearTf = true };
        var v = TfidfVectorizer.Fit(Corpus, options);
        var x = v.Transform(Corpus);
        AssertMatches(v, x, NaiveTfidf(Corpus, chars: true));
        // Each row = unit word block + unit char block.
        for (var r = 0; r < x.Rows; r++)
        {
            var sq = 0.0;
            foreach (var value in x.RowValues(r)) sq += value * value;
            Assert.Equal(2.0, sq, 4);
        }
    }

    [Fact]
    public void MinDfDropsRareNgrams()
    {
        var v = TfidfVectorizer.Fit(Corpus, new TfidfOptions { WordNgramMax = 1, MinDf = 2 });
        // Unigrams in ≥ 2 documents: runs, small, love, the, fabric.
        Assert.Equal(5, v.Columns);
    }

    /// <summary>Reference: string keys, dictionaries, textbook formulas.</summary>
    private static List<Dictionary<(bool IsChar, string Gram), double>> NaiveTfidf(string[] docs, bool chars)
    {
        var counts = docs.Select(d =>
        {
            var t = WordTokenizer.Tokenize(d);
            var grams = t.Select(w => (false, w)).Concat(t.Zip(t.Skip(1), (a, b) => (false, a + " " + b))).ToList();
            if (chars)
                foreach (var w in t)
                {
                    var p = " " + w + " ";
                    for (var n = 2; n <= 3; n++)
                        for (var s = 0; s + n <= p.Length; s++) grams.Add((true, p.Substring(s, n)));
                }
            return grams.GroupBy(g => g).ToDictionary(g => g.Key, g => g.Count());
        }).ToList();
        var df = counts.SelectMany(c => c.Keys).GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
        return counts.Select(c =>
        {
            var row = c.ToDictionary(kv => kv.Key, kv => (1 + Math.Log(kv.Value)) * (Math.Log((1.0 + docs.Length) / (1.0 + df[kv.Key])) + 1));
            foreach (var block in new[] { false, true })
            {
                var norm = Math.Sqrt(row.Where(kv => kv.Key.Item1 == block).Sum(kv => kv.Value * kv.Value));
                foreach (var k in row.Keys.Where(k => k.Item1 == block).ToList()) row[k] /= norm;
            }
            return row;
        }).ToList();
    }

    private static void AssertMatches(TfidfVectorizer v, SparseRows x, List<Dictionary<(bool IsChar, string Gram), double>> expected)
    {
        for (var r = 0; r < expected.Count; r++)
        {
            Assert.Equal(expected[r].Count, x.RowIndices(r).Length);
            foreach (var ((isChar, gram), value) in expected[r])
            {
                var hash = isChar ? NgramHash.Add(NgramHash.CharSeed + (ulong)gram.Length, gram)
                    : gram.Contains(' ') ? NgramHash.Bigram(gram.Split(' ')[0], gram.Split(' ')[1]) : NgramHash.Word(gram);
                Assert.True(v.TryGetColumn(hash, out var col), $"missing column for '{gram}'");
                var at = x.RowIndices(r).IndexOf(col);
                Assert.True(at >= 0, $"row {r} lacks '{gram}'");
                Assert.Equal(value, x.RowValues(r)[at], 5);
            }
        }
    }
}
