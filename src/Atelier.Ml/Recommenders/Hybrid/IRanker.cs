namespace Atelier.Ml.Recommenders.Hybrid;

/// <summary>Second-stage learner: rows are (user, candidate) feature vectors, groups are users.</summary>
public interface IRanker
{
    string Name { get; }
    void Fit(float[] features, int rows, int cols, float[] labels, int[] groupSizes);
    float Score(ReadOnlySpan<float> row);

    /// <summary>Writes the fitted ranker so that <see cref="RankerIo.Read"/> restores it bit-exactly.</summary>
    void Write(BinaryWriter w);
}
