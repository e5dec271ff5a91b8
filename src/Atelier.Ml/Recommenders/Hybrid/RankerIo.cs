namespace Atelier.Ml.Recommenders.Hybrid;

/// <summary>Reads a ranker written by <see cref="IRanker.Write"/>: a type tag, then the ranker's own fields.</summary>
public static class RankerIo
{
    internal const string LogisticTag = "ranker:logistic";
    internal const string GbdtTag = "ranker:gbdt";
    internal const string EnsembleTag = "ranker:ensemble";

    public static IRanker Read(BinaryReader r) => r.ReadString() switch
    {
        LogisticTag => LogisticRanker.Read(r),
        GbdtTag => GbdtRanker.Read(r),
        EnsembleTag => EnsembleRanker.Read(r),
        var tag => throw new InvalidDataException($"unknown ranker '{tag}'"),
    };
}
