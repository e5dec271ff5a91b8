using Atelier.Ml.Forecasting;
using Atelier.Services.Datasets;

namespace Atelier.Services.Forecasting;

/// <summary>
/// The merchandise tree total → department → product type (within the department) → product → article, as a parent
/// array for <see cref="Reconciliation.FromParents"/>. Product types repeat across departments, so a type node is the
/// (department, type) pair; a product sits under the department/type of its first article.
/// </summary>
public sealed class ProductHierarchy
{
    public required string[] Names { get; init; }
    public required string[] Levels { get; init; }
    public required int[] Parents { get; init; }
    /// <summary>article id → node index of the article (a bottom series).</summary>
    public required Dictionary<string, int> ArticleNode { get; init; }

    public static ProductHierarchy Build(IEnumerable<HmArticle> articles)
    {
        var names = new List<string> { "total" };
        var levels = new List<string> { "total" };
        var parents = new List<int> { -1 };
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        int Node(string key, string name, string level, int parent)
        {
            if (index.TryGetValue(key, out int i)) return i;
            i = names.Count;
            index[key] = i; names.Add(name); levels.Add(level); parents.Add(parent);
            return i;
        }
        var articleNode = new Dictionary<string, int>(StringComparer.Ordinal);
        var productParent = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var a in articles)
        {
            int dept = Node("d:" + a.DepartmentNo, a.DepartmentName, "department", 0);
            int type = Node($"t:{a.DepartmentNo}:{a.ProductTypeNo}", a.ProductTypeName, "product_type", dept);
            if (!productParent.TryGetValue(a.ProductCode, out int pParent)) productParent[a.ProductCode] = pParent = type;
            int product = Node("p:" + a.ProductCode, a.ProductName, "product", pParent);
            articleNode[a.ArticleId] = Node("a:" + a.ArticleId, a.ArticleId, "article", product);
        }
        return new ProductHierarchy { Names = [.. names], Levels = [.. levels], Parents = [.. parents], ArticleNode = articleNode };
    }

    /// <summary>Reconciliation over this tree (bottom series = articles, in node order).</summary>
    public Reconciliation Reconciliation(out int[] bottomNodes) => Ml.Forecasting.Reconciliation.FromParents(Parents, out bottomNodes);
}
