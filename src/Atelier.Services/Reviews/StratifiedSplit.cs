namespace Atelier.Services.Reviews;

/// <summary>Seeded stratified split: within each stratum a shuffled testFraction of the rows goes to the test side.</summary>
public static class StratifiedSplit
{
    public static (int[] Train, int[] Test) Split(IReadOnlyList<int> strata, double testFraction, int seed)
    {
        var rng = new Random(seed);
        var train = new List<int>();
        var test = new List<int>();
        var groups = new SortedDictionary<int, List<int>>();
        for (var i = 0; i < strata.Count; i++)
        {
            if (!groups.TryGetValue(strata[i], out var list)) groups[strata[i]] = list = [];
            list.Add(i);
        }
        foreach (var list in groups.Values)
        {
            var items = list.ToArray();
            rng.Shuffle(items);
            var nTest = (int)Math.Round(items.Length * testFraction);
            test.AddRange(items[..nTest]);
            train.AddRange(items[nTest..]);
        }
        train.Sort();
        test.Sort();
        return (train.ToArray(), test.ToArray());
    }
}
