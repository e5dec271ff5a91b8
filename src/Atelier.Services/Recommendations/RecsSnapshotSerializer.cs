using System.IO.Compression;
using Atelier.Ml.Recommenders.Hybrid;

namespace Atelier.Services.Recommendations;

/// <summary>
/// The training snapshot (id maps, purchase log, item attributes), gzip-compressed: the registry artifact of the
/// first recommender versions, which servers refitted on load. Newer versions store the fitted engine
/// (<see cref="RecsArtifact"/>), which embeds the snapshot's fields.
/// </summary>
public static class RecsSnapshotSerializer
{
    private const string Magic = "atelier-recs-snapshot";
    // 2: with the articles' texts; format-1 snapshots still load, without them.
    private const int FormatVersion = 2;

    public static byte[] Serialize(RecsSnapshot s)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        using (var w = new BinaryWriter(gz))
        {
            w.Write(Magic);
            w.Write(FormatVersion);
            Write(w, s, includeLog: true, includeTexts: true);
        }
        return ms.ToArray();
    }

    public static RecsSnapshot Deserialize(byte[] bytes)
    {
        using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var r = new BinaryReader(gz);
        if (r.ReadString() != Magic) throw new InvalidDataException("not a recommender snapshot");
        return ReadAfterMagic(r);
    }

    /// <summary>The rest of a snapshot artifact after its magic string (also used for engine artifacts' fallback).</summary>
    internal static RecsSnapshot ReadAfterMagic(BinaryReader r)
    {
        var format = r.ReadInt32();
        if (format is not (1 or FormatVersion)) throw new InvalidDataException($"unsupported snapshot format {format}");
        return Read(r, log: null, withTexts: format >= 2);
    }

    internal const string SnapshotMagic = Magic;

    /// <summary>The snapshot's fields; the purchase log only when <paramref name="includeLog"/> (an engine artifact
    /// takes it from the saved hybrid, which holds the same events).</summary>
    internal static void Write(BinaryWriter w, RecsSnapshot s, bool includeLog, bool includeTexts = false)
    {
        w.Write(s.AsOfDay);
        Write(w, s.CustomerIds);
        Write(w, s.ArticleIds);
        Write(w, s.ArticleCodes);
        Write(w, s.ProductIds);
        Write(w, s.ProductNames);
        Write(w, s.TypeNames);
        Write(w, s.CategoryIds);
        w.Write(s.Prices.Length);
        foreach (var p in s.Prices) w.Write(p);
        if (includeLog)
        {
            Write(w, s.Log.Users);
            Write(w, s.Log.Items);
            Write(w, s.Log.Days);
            Write(w, s.Log.Prices);
        }
        Write(w, s.Catalog.Product);
        Write(w, s.Catalog.Category);
        Write(w, s.Catalog.Group);
        Write(w, s.Catalog.Colour);
        if (!includeTexts) return;
        w.Write(s.ItemTexts is not null);
        if (s.ItemTexts is not null) Write(w, s.ItemTexts);
    }

    /// <summary>Reads what <see cref="Write"/> wrote; <paramref name="log"/> non-null means the log was left out.</summary>
    internal static RecsSnapshot Read(BinaryReader r, InteractionLog? log, int[]? segments = null, bool withTexts = false)
    {
        var asOf = r.ReadInt32();
        var customers = Longs(r);
        var articles = Longs(r);
        var codes = Strings(r);
        var products = Longs(r);
        var names = Strings(r);
        var types = Strings(r);
        var categories = Ints(r);
        var prices = new decimal[r.ReadInt32()];
        for (var i = 0; i < prices.Length; i++) prices[i] = r.ReadDecimal();
        log ??= new InteractionLog(customers.Length, articles.Length, Ints(r), Ints(r), Ints(r), Floats(r));
        var catalog = new ItemCatalog(Ints(r), Ints(r), Ints(r), Ints(r));
        var texts = withTexts && r.ReadBoolean() ? Strings(r) : null;
        if (texts is not null && texts.Length != articles.Length) throw new InvalidDataException("snapshot item texts do not match its id maps");
        if (log.UserCount != customers.Length || log.ItemCount != articles.Length)
            throw new InvalidDataException("snapshot purchase log does not match its id maps");
        return new RecsSnapshot
        {
            AsOfDay = asOf, CustomerIds = customers, ArticleIds = articles, ArticleCodes = codes, ProductIds = products,
            ProductNames = names, TypeNames = types, CategoryIds = categories, Prices = prices, Log = log, Catalog = catalog,
            CustomerSegments = segments, ItemTexts = texts,
        };
    }

    private static void Write(BinaryWriter w, int[] a) { w.Write(a.Length); foreach (var x in a) w.Write(x); }
    private static void Write(BinaryWriter w, long[] a) { w.Write(a.Length); foreach (var x in a) w.Write(x); }
    private static void Write(BinaryWriter w, float[] a) { w.Write(a.Length); foreach (var x in a) w.Write(x); }
    private static void Write(BinaryWriter w, string[] a) { w.Write(a.Length); foreach (var x in a) w.Write(x); }

    private static int[] Ints(BinaryReader r) { var a = new int[r.ReadInt32()]; for (var i = 0; i < a.Length; i++) a[i] = r.ReadInt32(); return a; }
    private static long[] Longs(BinaryReader r) { var a = new long[r.ReadInt32()]; for (var i = 0; i < a.Length; i++) a[i] = r.ReadInt64(); return a; }
    private static float[] Floats(BinaryReader r) { var a = new float[r.ReadInt32()]; for (var i = 0; i < a.Length; i++) a[i] = r.ReadSingle(); return a; }
    private static string[] Strings(BinaryReader r) { var a = new string[r.ReadInt32()]; for (var i = 0; i < a.Length; i++) a[i] = r.ReadString(); return a; }
}
