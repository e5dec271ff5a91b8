namespace Atelier.Ml.Trees;

/// <summary>Loss minimised by <see cref="GradientBoostedTrees"/>.</summary>
public enum GbdtObjective
{
    /// <summary>Squared error; raw output is the prediction.</summary>
    Regression,
    /// <summary>Logistic loss on 0/1 labels; raw output is the log-odds.</summary>
    BinaryLogLoss,
    /// <summary>LambdaRank with |ΔNDCG| weights over consecutive query groups (Burges 2010).</summary>
    LambdaRank,
}
