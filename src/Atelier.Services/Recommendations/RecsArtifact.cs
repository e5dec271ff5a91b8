using System.IO.Compression;
using Atelier.Ml.Recommenders;
using Atelier.Ml.Recommenders.Hybrid;
using Atelier.Services.Models;

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
        Serialize(engine, ms);
        return ms.ToArray();
    }

    /// <summary>Writes the artifact to <paramref name="output"/> (left open).</summary>
    public static void Serialize(RecsEngine engine, Stream output)
    {
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
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
    }

    /// <summary>The engine of an artifact; <paramref name="refitted"/> tells whether it had to be trained (old format).</summary>
    public static RecsEngine Deserialize(byte[] bytes, out bool refitted) => Deserialize(new MemoryStream(bytes, writable: false), out refitted);

    /// <summary>The engine of the artifact read from <paramref name="input"/>.</summary>
    public static RecsEngine Deserialize(Stream input, out bool refitted)
    {
        using var gz = new GZipStream(input, CompressionMode.Decompress, leaveOpen: true);
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

    /// <summary>
    /// Trains nothing: writes the engine to a temporary file and registers it from there, so the artifact is never one
    /// array in memory (its chunks are streamed into the registry).
    /// </summary>
    public static async Task<int> RegisterAsync(ModelRegistry registry, RecsEngine engine, IReadOnlyDictionary<string, double> metrics,
        long? runId, CancellationToken ct)
    {
        await using var file = TempFile();
        Serialize(engine, file);
        file.Position = 0;
        return await registry.RegisterAsync(RecommendationService.ModelName, file, metrics, runId, ct);
    }

    /// <summary>The engine of a registered version, streamed through a temporary file; null when the version does not exist.</summary>
    public static async Task<(RecsEngine Engine, bool Refitted)?> LoadAsync(ModelRegistry registry, int version, CancellationToken ct)
    {
        await using var file = TempFile();
        if (!await registry.CopyArtifactAsync(RecommendationService.ModelName, version, file, ct)) return null;
        file.Position = 0;
        var engine = Deserialize(file, out var refitted);
        return (engine, refitted);
    }

    private static FileStream TempFile() => new(Path.Combine(Path.GetTempPath(), $"atelier-recs-{Guid.NewGuid():N}.artifact"),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
}
