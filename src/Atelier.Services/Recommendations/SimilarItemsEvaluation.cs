using System.Diagnostics;
using System.Text.Json.Serialization;
using Atelier.Ml.Recommenders;
using Atelier.Ml.Recommenders.Hybrid;

namespace Atelier.Services.Recommendations;

public sealed record SimilarModelScore(
    string Name,
    [property: JsonPropertyName("hit_rate_at_12")] double HitRateAt12,
    [property: JsonPropertyName("precision_at_12")] double PrecisionAt12,
    [property: JsonPropertyName("same_type_share")] double SameTypeShare,
    [property: JsonPropertyName("same_group_share")] double SameGroupShare,
    [property: JsonPropertyName("unsold_share")] double UnsoldShare,
    [property: JsonPropertyName("list_fill")] double ListFill,
    double Coverage);

public sealed record SimilarItemsEvaluationResult(string Dataset, int Anchors, int Items, IReadOnlyList<SimilarModelScore> Models, double Seconds);

/// <summary>
/// "Similar items" lists on a time split, per anchor = a test customer's last article bought before the test period
/// (the product page they would come back to): how often the 12 similar items (the anchor's own product left out,
/// one article per product) contain something they then bought (hit rate, precision), how many share the anchor's
/// product type / group (is it an alternative or a complement), how many had no sales before the split (new arrivals
/// found), how full the lists are and how many items they reach. Models: item-kNN (co-purchase cosine, what the
/// product page showed before), text only, and <see cref="StyleSimilarity"/> (text + co-purchase within the group).
/// </summary>
public static class SimilarItemsEvaluation
{
    public const int K = 12;

    public static SimilarItemsEvaluationResult Run(RecsDataset data, Action<string>? progress = null)
    {
        var sw = Stopwatch.StartNew();
        var train = data.Train;
        var catalog = data.Catalog;
        var counts = train.ToMatrix(_ => 1f);
        progress?.Invoke("item-kNN");
        var knn = new ItemKnnRecommender(ItemSimilarity.Cosine, data.HybridOptions.KnnNeighbours);
        knn.Fit(counts.MapValues(_ => 1f));
        progress?.Invoke("text vectors");
        var style = new StyleSimilarity(data.ItemTexts, catalog);

        var sold = new bool[catalog.Count];
        foreach (var i in train.Items) sold[i] = true;
        var test = data.Test.ItemSetsByUser();
        // Anchor: the user's last training purchase (latest day; within a day, the last row).
        var anchor = new int[train.UserCount];
        var anchorDay = new int[train.UserCount];
        Array.Fill(anchor, -1);
        Array.Fill(anchorDay, int.MinValue);
        for (int e = 0; e < train.Count; e++)
            if (train.Days[e] >= anchorDay[train.Users[e]]) (anchor[train.Users[e]], anchorDay[train.Users[e]]) = (train.Items[e], train.Days[e]);
        var users = Enumerable.Range(0, Math.Min(test.Length, anchor.Length)).Where(u => test[u] is not null && anchor[u] >= 0).ToArray();

        progress?.Invoke($"scoring {users.Length} anchors");
        int[] KnnList(int a)
        {
            var batch = knn.SimilarItems(a, 200);
            var seen = new HashSet<int> { catalog.Product[a] };
            var list = new List<int>(K);
            for (int k = 0; k < batch.N && list.Count < K; k++)
                if (batch.Items[k] >= 0 && seen.Add(catalog.Product[batch.Items[k]])) list.Add(batch.Items[k]);
            return list.ToArray();
        }
        var models = new (string Name, Func<int, int[]> List)[]
        {
            ("item_knn", KnnList),
            ("text", a => style.Similar(a, K, neighbours: null).Select(s => s.Item).ToArray()),
            ("style", a => style.Similar(a, K, knn.Neighbours).Select(s => s.Item).ToArray()),
        };
        var scores = new List<SimilarModelScore>();
        foreach (var (name, listOf) in models)
        {
            var lists = new int[users.Length][];
            Parallel.For(0, users.Length, r => lists[r] = listOf(anchor[users[r]]));
            double hits = 0, precision = 0, sameType = 0, sameGroup = 0, unsold = 0, shown = 0;
            var reached = new HashSet<int>();
            for (int r = 0; r < users.Length; r++)
            {
                var a = anchor[users[r]];
                var bought = test[users[r]];
                int h = lists[r].Count(bought.Contains);
                hits += h > 0 ? 1 : 0;
                precision += h / (double)K;
                foreach (var i in lists[r])
                {
                    reached.Add(i);
                    sameType += catalog.Category[i] == catalog.Category[a] ? 1 : 0;
                    sameGroup += catalog.Group[i] == catalog.Group[a] ? 1 : 0;
                    unsold += sold[i] ? 0 : 1;
                }
                shown += lists[r].Length;
            }
            int n = Math.Max(users.Length, 1);
            double perShown = Math.Max(shown, 1);
            scores.Add(new SimilarModelScore(name, hits / n, precision / n, sameType / perShown, sameGroup / perShown, unsold / perShown,
                shown / (n * (double)K), reached.Count / (double)Math.Max(sold.Count(s => s), 1)));
        }
        return new SimilarItemsEvaluationResult(data.Name, users.Length, catalog.Count, scores, sw.Elapsed.TotalSeconds);
    }
}
