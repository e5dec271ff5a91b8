namespace Atelier.Ml.Tests.Forecasting;

public sealed class ProductHierarchyTests
{
    private static Atelier.Services.Datasets.HmArticle A(string id, string product, int type, int dept) =>
        new(id, product, "P" + product, type, "T" + type, "g", 1, "Solid", "09", "Black", "Dark", "Black", dept, "D" + dept,
            "A", "Ladieswear", 1, "Ladieswear", 1, "s", 1, "gg", "");

    [Fact]
    public void MerchandiseTreeReconcilesCoherently()
    {
        // two departments share product type 5; product 0001 has two articles
        var h = Atelier.Services.Forecasting.ProductHierarchy.Build(
            [A("01", "0001", 5, 10), A("02", "0001", 5, 10), A("03", "0002", 6, 10), A("04", "0003", 5, 20)]);
        Assert.Equal(4, h.ArticleNode.Count);
        Assert.Equal(2, h.Levels.Count(l => l == "department"));
        Assert.Equal(3, h.Levels.Count(l => l == "product_type")); // (10,5), (10,6), (20,5)
        var rec = h.Reconciliation(out var bottom);
        Assert.Equal(4, bottom.Length);
        int n = h.Names.Length;
        var baseF = Enumerable.Range(0, n).Select(i => 10.0 + i * 3).ToArray();
        var w = new double[n * n];
        for (int i = 0; i < n; i++) w[i * n + i] = 1 + i;
        var y = rec.Apply(rec.MinTProjection(w), baseF);
        // every node equals the sum of its children
        for (int v = 0; v < n; v++)
        {
            var children = Enumerable.Range(0, n).Where(c => h.Parents[c] == v).ToList();
            if (children.Count > 0) Assert.Equal(children.Sum(c => y[c]), y[v], 8);
        }
        Assert.Equal(y[h.ArticleNode["01"]] + y[h.ArticleNode["02"]] + y[h.ArticleNode["03"]] + y[h.ArticleNode["04"]], y[0], 8);
    }
}
