using System.IO.Compression;
using Atelier.Ml.Recommenders;
using Atelier.Ml.Recommenders.Hybrid;

namespace Atelier.Services.Recommendations;

/// <summary>
/// The versioned artifact of the recommender: the fitted engine, gzip-compressed — the snapshot's id maps and item
/// attributes, the hybrid (sources, statistics, rankers, each with its own bit-exact Save) and the outfit model. A
/// server loads it without refitting. Artifacts of the first versions (the bare snapshot) are still read; those are
/// refitted, which is deterministic (seeded).
/// </summary>
public static class RecsArtifact
{
    private const string Magic = "atelier-recs-engine";
    // 2: the snapshot keeps the articles' texts (similar styles); format-1 artifacts still load, without them.
    private const int FormatVersion = 2;

    public static byte[] Serialize(RecsEngine engine)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        using (var w = new BinaryWriter(gz))
        {
            w.Write(Magic);
            w.Write(FormatVersion);
            engine.Hybrid.Save(gz);
            // The hybrid holds every purchase of the snapshot (its cutoff is the day after the snapshot's last day).
            var sameLog = engine.Hybrid.Model!.History.Count == engine.Snapshot.Log.Count;
            w.Write(sameLog);
            RecsSnapshotSerializer.Write(w, engine.Snapshot, includeLog: !sameLog, includeTexts: true);
            w.Flush();
            engine.Outfit.Save(gz);
        }
        return ms.ToArray();
    }

    /// <summary>The engine of an artifact; <paramref name="refitted"/> tells whether it had to be trained (old format).</summary>
    public static RecsEngine Deserialize(byte[] bytes, out bool refitted)
    {
        using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var r = new BinaryReader(gz);
        var magic = r.ReadString();
        if (magic == RecsSnapshotSerializer.SnapshotMagic)
        {
            refitted = true;
            return RecsEngine.Train(RecsSnapshotSerializer.ReadAfterMagic(r));
        }
        if (magic != Magic) throw new InvalidDataException("not a recommender artifact");
        var format = r.ReadInt32();
        if (format is not (1 or FormatVersion)) throw new InvalidDataException($"unsupported recommender artifact format {format}");
        var hybrid = HybridRecommender.Load(gz);
        var sameLog = r.ReadBoolean();
        // The customers' segments live in the hybrid (format 2 models; older ones have none).
        var snapshot = RecsSnapshotSerializer.Read(r, sameLog ? hybrid.Model!.History : null, hybrid.Model!.UserSegments, withTexts: format >= 2);
        var outfit = OutfitRecommender.Load(gz, snapshot.Catalog);
        refitted = false;
        return RecsEngine.FromParts(snapshot, hybrid, outfit);
    }

    public static RecsEngine Deserialize(byte[] bytes) => Deserialize(bytes, out _);
}
