namespace Atelier.Services.Reviews;

/// <summary>Accuracy and macro-F1 of one model on one test set.</summary>
public sealed record ClassificationFigures(double Accuracy, double MacroF1, int Rows, string Model);

/// <summary>The same models applied to Amazon fashion reviews without retraining (positive = 4–5 stars).</summary>
public sealed record AmazonFigures(ClassificationFigures Recommended, ClassificationFigures ThreeClass,
    ClassificationFigures Vader, ClassificationFigures VaderThreeClass);

/// <summary>Size-and-fit extractor against the hand labels (micro precision/recall over the non-"none" labels).</summary>
public sealed record SizeFitFigures(int Labelled, double Precision, double Recall, double F1, double Accuracy);

public sealed record SentimentEvalResult(
    ClassificationFigures Recommended, ClassificationFigures ThreeClass, ClassificationFigures Vader,
    ClassificationFigures VaderThreeClass, AmazonFigures? Amazon, SizeFitFigures? SizeFit,
    int TrainRows, int TestRows, int Seed, double Seconds, double ModelBytes);
