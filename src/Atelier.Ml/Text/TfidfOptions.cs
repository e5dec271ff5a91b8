namespace Atelier.Ml.Text;

/// <summary>Settings of <see cref="TfidfVectorizer"/>. Char n-grams are taken inside " word " (scikit-learn's char_wb).</summary>
public sealed record TfidfOptions
{
    public int WordNgramMax { get; init; } = 2;
    /// <summary>0 disables the char n-gram block.</summary>
    public int CharNgramMin { get; init; }
    public int CharNgramMax { get; init; }
    public int MinDf { get; init; } = 2;
    public bool SublinearTf { get; init; } = true;
    /// <summary>Scale of the (separately L2-normalised) char block relative to the word block.</summary>
    public float CharWeight { get; init; } = 1f;
}
