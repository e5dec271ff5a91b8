using Atelier.Ml.Text;

namespace Atelier.Ml.Tests.Text;

public sealed class AspectExtractorTests
{
    private static readonly AspectExtractor Extractor = new(Atelier.Services.Reviews.VaderLexicon.CreateScorer());

    [Theory]
    [InlineData("Runs small, order a size up.", SizeFitVerdict.RunsSmall)]
    [InlineData("It's not small at all.", SizeFitVerdict.None)]
    [InlineData("These don't run small, I got my usual size.", SizeFitVerdict.None)]
    [InlineData("Way too tight in the hips.", SizeFitVerdict.RunsSmall)]
    [InlineData("This runs a bit large so I sized down.", SizeFitVerdict.RunsLarge)]
    [InlineData("I was swimming in the medium.", SizeFitVerdict.RunsLarge)]
    [InlineData("Fits true to size and the color is lovely.", SizeFitVerdict.TrueToSize)]
    [InlineData("TTS!", SizeFitVerdict.TrueToSize)]
    [InlineData("I ordered the small and it fits perfectly.", SizeFitVerdict.None)]
    [InlineData("Great for my small chest.", SizeFitVerdict.None)]
    [InlineData("I thought it was true to size, but it runs a little big.", SizeFitVerdict.RunsLarge)]
    [InlineData("Fits true to size; if you want a looser fit, size up.", SizeFitVerdict.TrueToSize)]
    [InlineData("My usual size fit perfectly.", SizeFitVerdict.TrueToSize)]
    [InlineData("Lovely print, great price.", SizeFitVerdict.None)]
    [InlineData("The arm holes were way too tight.", SizeFitVerdict.None)]
    [InlineData("It runs just true to my size.", SizeFitVerdict.TrueToSize)]
    public void SizeAndFit(string review, SizeFitVerdict expected)
    {
        Assert.Equal(expected, Extractor.Extract(review).SizeFit);
    }

    [Theory]
    [InlineData("The fabric is itchy.", Aspect.Fabric, -1)]
    [InlineData("The fabric is not itchy at all.", Aspect.Fabric, 1)]
    [InlineData("Beautiful color.", Aspect.Colour, 1)]
    [InlineData("The quality is terrible.", Aspect.Quality, -1)]
    [InlineData("It shrunk after one wash.", Aspect.Quality, -1)]
    [InlineData("So comfy!", Aspect.Comfort, 1)]
    [InlineData("Way overpriced.", Aspect.Price, -1)]
    [InlineData("Totally worth it.", Aspect.Price, 1)]
    public void AspectPolarity(string review, Aspect aspect, int polarity)
    {
        Assert.Equal(polarity, Extractor.Extract(review).PolarityOf(aspect));
    }

    [Fact]
    public void AbsentAspectHasNoPolarity()
    {
        Assert.Null(Extractor.Extract("Runs small.").PolarityOf(Aspect.Price));
    }

    [Fact]
    public void ProductSummaryGivesAdviceOnlyOnAClearMajority()
    {
        var reviews = new[] { "Runs small.", "Runs small, size up.", "Way too tight.", "True to size.", "Love the colour." }
            .Select(Extractor.Extract).ToList();
        var summary = ProductAspectSummary.Summarize(reviews);
        Assert.Equal(5, summary.Reviews);
        Assert.Equal(3, summary.RunsSmall);
        Assert.Equal(1, summary.TrueToSize);
        Assert.Equal(SizeFitVerdict.RunsSmall, summary.Consensus);
        Assert.Contains("consider one size up", summary.Advice, StringComparison.Ordinal);
        Assert.Equal(1, summary.Aspects[(int)Aspect.Colour].Positive);

        var split = ProductAspectSummary.Summarize(new[] { "Runs small.", "Runs large.", "True to size." }.Select(Extractor.Extract));
        Assert.Equal(SizeFitVerdict.None, split.Consensus);
        Assert.Null(split.Advice);
    }
}
