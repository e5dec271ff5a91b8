namespace Atelier.Ml.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void DataPathsFindsSharedDataOrReportsAbsence()
    {
        var root = Atelier.Services.Datasets.DataPaths.Root;
        if (root is null) Assert.Skip("../shared/data is absent");
        Assert.True(Directory.Exists(root));
    }
}
