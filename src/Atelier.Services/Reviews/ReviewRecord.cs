namespace Atelier.Services.Reviews;

/// <summary>
/// One product review with its text (title + body), star rating 1–5 and, where the source has it, the reviewer's
/// "would recommend" flag. Index is the row index of the source file (the unnamed first column for the Women's data).
/// </summary>
public sealed record ReviewRecord(int Index, string ProductId, string Text, int Rating, bool? Recommended)
{
    /// <summary>0 = 1–2 stars, 1 = 3 stars, 2 = 4–5 stars.</summary>
    public int ThreeClass => Rating <= 2 ? 0 : Rating == 3 ? 1 : 2;
}
