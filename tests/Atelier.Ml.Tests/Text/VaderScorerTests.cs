using Atelier.Ml.Text;
using Atelier.Services.Reviews;

namespace Atelier.Ml.Tests.Text;

public sealed class VaderScorerTests
{
    private static readonly VaderScorer Vader = VaderLexicon.CreateScorer();

    private static double Norm(double s) => s / Math.Sqrt(s * s + 15);

    [Fact]
    public void LexiconIsEmbeddedWithItsEntries()
    {
        Assert.InRange(VaderLexicon.Entries.Count, 7_500, 7_520);
        Assert.Equal(1.9, VaderLexicon.Entries["good"]);
        Assert.Equal(-2.3, VaderLexicon.Entries["ugly"]);
    }

    [Theory]
    // good = 1.9.
    [InlineData("The dress is good.", 1.9)]
    // Negation one word before: 1.9 × −0.74.
    [InlineData("The dress is not good", 1.9 * -0.74)]
    // Booster "VERY" in caps amid lower case: 1.9 + 0.293 + 0.733; one "!" adds 0.292.
    [InlineData("The dress is VERY good!", 1.9 + 0.293 + 0.733 + 0.292)]
    // "but": before ×0.5, after ×1.5: 1.9·0.5 − 2.3·1.5.
    [InlineData("Good fabric but ugly colour", 1.9 * 0.5 - 2.3 * 1.5)]
    // Booster two words away is damped ×0.95: 1.9 + 0.293·0.95.
    [InlineData("really quite good", 1.9 + 0.293 * 0.95 + 0.293)]
    // Nothing in the lexicon.
    [InlineData("The dress arrived on Tuesday", 0.0)]
    public void CompoundMatchesHandComputation(string text, double sum)
    {
        Assert.Equal(Norm(sum), Vader.Score(text).Compound, 6);
    }

    [Fact]
    public void ProportionsSumToOne()
    {
        var s = Vader.Score("The dress is good but the zipper is bad");
        Assert.Equal(1.0, s.Positive + s.Negative + s.Neutral, 6);
        Assert.True(s.Negative > s.Positive);
    }
}
