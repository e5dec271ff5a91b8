namespace Atelier.Services.Import;

/// <summary>Outcome of one file; <c>Read = Loaded + Quarantined + DuplicatesSkipped</c> always holds.</summary>
public sealed record ImportFileResult(
    string File, string Kind, long Read, long Loaded, long Quarantined, long DuplicatesSkipped,
    bool Resumed, bool AlreadyImported, long ImportFileId);

public sealed record ImportProgress(string File, long BytesDone, long BytesTotal, long Rows);

/// <summary>Outcome of one <c>atelier import</c> call over all its files.</summary>
public sealed record ImportSummary(
    string Source, long Read, long Loaded, long Quarantined, long DuplicatesSkipped, double Seconds, double RowsPerS,
    IReadOnlyList<ImportFileResult> Files, IReadOnlyList<QuarantineCount> QuarantineReasons);

public sealed record QuarantineCount(string Reason, long Rows);
