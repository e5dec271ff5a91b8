using Atelier.Ml.Sparse;

namespace Atelier.Ml.Recommenders.Hybrid;

/// <summary>Purchase events as parallel arrays (user, item, day number, price), index-based.</summary>
public sealed class InteractionLog
{
    public InteractionLog(int userCount, int itemCount, int[] users, int[] items, int[] days, float[] prices)
    {
        UserCount = userCount;
        ItemCount = itemCount;
        Users = users;
        Items = items;
        Days = days;
        Prices = prices;
    }

    public int UserCount { get; }
    public int ItemCount { get; }
    public int[] Users { get; }
    public int[] Items { get; }
    public int[] Days { get; }
    public float[] Prices { get; }
    public int Count => Users.Length;

    /// <summary>Events with <paramref name="fromDay"/> ≤ day &lt; <paramref name="toDay"/>.</summary>
    public InteractionLog Window(int fromDay, int toDay)
    {
        int n = 0;
        foreach (int d in Days) if (d >= fromDay && d < toDay) n++;
        var u = new int[n];
        var i = new int[n];
        var d2 = new int[n];
        var p = new float[n];
        int w = 0;
        for (int k = 0; k < Count; k++)
        {
            if (Days[k] < fromDay || Days[k] >= toDay) continue;
            u[w] = Users[k];
            i[w] = Items[k];
            d2[w] = Days[k];
            p[w++] = Prices[k];
        }
        return new InteractionLog(UserCount, ItemCount, u, i, d2, p);
    }

    /// <summary>User × item matrix whose values are Σ weight(day) over the events (duplicates summed).</summary>
    public CsrMatrix ToMatrix(Func<int, float> weight)
    {
        var v = new float[Count];
        for (int k = 0; k < Count; k++) v[k] = weight(Days[k]);
        return CsrBuilder.FromTriplets(UserCount, ItemCount, Users, Items, v);
    }

    /// <summary>Weight halving every <paramref name="halfLifeDays"/> before <paramref name="asOfDay"/>.</summary>
    public static Func<int, float> Decay(int asOfDay, float halfLifeDays) =>
        day => MathF.Pow(0.5f, Math.Max(0, asOfDay - day) / halfLifeDays);

    /// <summary>Distinct items bought per user, one set per user index.</summary>
    public HashSet<int>[] ItemSetsByUser()
    {
        var sets = new HashSet<int>[UserCount];
        for (int k = 0; k < Count; k++) (sets[Users[k]] ??= []).Add(Items[k]);
        return sets;
    }
}
