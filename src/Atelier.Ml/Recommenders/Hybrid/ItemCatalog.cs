namespace Atelier.Ml.Recommenders.Hybrid;

/// <summary>
/// Item attributes as small-integer codes, one entry per item index: the product an article is a variant of,
/// the product type (category), the product group (garment family used by complete-the-outfit), colour.
/// </summary>
public sealed record ItemCatalog(int[] Product, int[] Category, int[] Group, int[] Colour)
{
    public int Count => Product.Length;

    public static ItemCatalog Trivial(int items)
    {
        var ids = new int[items];
        for (int i = 0; i < items; i++) ids[i] = i;
        return new ItemCatalog(ids, new int[items], new int[items], new int[items]);
    }
}
