namespace Atelier.Ml.Recommenders;

/// <summary>A bitset of item indices (e.g. out-of-stock items, a category filter).</summary>
public sealed class ItemSet
{
    private readonly ulong[] _bits;

    public ItemSet(int capacity) => _bits = new ulong[(capacity + 63) >> 6];

    public static ItemSet Of(int capacity, IEnumerable<int> items)
    {
        var s = new ItemSet(capacity);
        foreach (int i in items) s.Add(i);
        return s;
    }

    public int Capacity => _bits.Length << 6;

    public void Add(int item) => _bits[item >> 6] |= 1UL << (item & 63);

    public bool Contains(int item) => (uint)(item >> 6) < (uint)_bits.Length && (_bits[item >> 6] & (1UL << (item & 63))) != 0;
}
