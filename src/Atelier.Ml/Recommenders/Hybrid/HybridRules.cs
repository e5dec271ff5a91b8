namespace Atelier.Ml.Recommenders.Hybrid;

/// <summary>Serving-time business rules applied after ranking.</summary>
public sealed record HybridRules
{
    /// <summary>Never recommended (e.g. out of stock).</summary>
    public ItemSet? Exclude { get; init; }
    /// <summary>When set, only these items may be recommended (e.g. a category filter).</summary>
    public ItemSet? AllowOnly { get; init; }
    public bool ExcludePurchased { get; init; }
    /// <summary>At most this many items of one product (diversity cap); 0 = no cap.</summary>
    public int MaxPerProduct { get; init; }
}
