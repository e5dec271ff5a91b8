using Atelier.Ml.Recommenders.Hybrid;
using Atelier.Services.Recommendations;

namespace Atelier.Ml.Tests.Recommenders;

public sealed class RecsDatasetTests
{
    // One event per day 0..9; test period = days 7..9.
    private static RecsDataset Days(int validationDays, HybridOptions? validationOptions) => new()
    {
        Name = "tiny",
        Log = new InteractionLog(1, 1, new int[10], new int[10], Enumerable.Range(0, 10).ToArray(), new float[10]),
        Catalog = new ItemCatalog([0], [0], [0], [0]),
        UserIds = ["u"], ItemIds = ["i"], ItemTexts = [""],
        TestStartDay = 7, TestEndDay = 9,
        HybridOptions = new HybridOptions { LabelDays = 3 },
        ValidationDays = validationDays,
        ValidationHybridOptions = validationOptions,
    };

    [Fact]
    public void Validation_split_moves_back_by_the_test_length_and_drops_the_test_period()
    {
        var v = Days(0, null).ValidationSplit();

        Assert.Equal((4, 6), (v.TestStartDay, v.TestEndDay));
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], v.Log.Days);
        Assert.Equal(3, v.HybridOptions.LabelDays);
        Assert.Equal("tiny-validation", v.Name);
    }

    [Fact]
    public void Validation_split_can_be_shorter_with_its_own_hybrid_settings()
    {
        var v = Days(1, new HybridOptions { LabelDays = 1 }).ValidationSplit();

        Assert.Equal((6, 6), (v.TestStartDay, v.TestEndDay));
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], v.Log.Days);
        Assert.Equal(1, v.HybridOptions.LabelDays);
        Assert.Equal([0, 1, 2, 3, 4, 5], v.Train.Days);
        Assert.Equal([6], v.Test.Days);
    }
}
