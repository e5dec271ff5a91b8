namespace Atelier.Ml.Forecasting;

public enum EtsError { Additive, Multiplicative }

public enum EtsTrend { None, Additive, Damped }

public enum EtsSeason { None, Additive, Multiplicative }

/// <summary>
/// One ETS(error, trend, season) model of the innovations state-space family (Hyndman, Koehler, Snyder &amp; Grose 2002;
/// Hyndman et al. 2008). Parameter vector layout: alpha, [beta], [gamma], [phi], l0, [b0].
/// </summary>
public readonly record struct EtsSpec(EtsError Error, EtsTrend Trend, EtsSeason Season, int Period = 1)
{
    public bool HasTrend => Trend != EtsTrend.None;
    public bool HasSeason => Season != EtsSeason.None && Period > 1;
    public bool Damped => Trend == EtsTrend.Damped;
    public int BetaIndex => HasTrend ? 1 : -1;
    public int GammaIndex => HasSeason ? 1 + (HasTrend ? 1 : 0) : -1;
    public int PhiIndex => Damped ? 1 + (HasTrend ? 1 : 0) + (HasSeason ? 1 : 0) : -1;
    public int SmoothingCount => 1 + (HasTrend ? 1 : 0) + (HasSeason ? 1 : 0) + (Damped ? 1 : 0);
    public int LevelIndex => SmoothingCount;
    public int ParameterCount => SmoothingCount + 1 + (HasTrend ? 1 : 0);

    /// <summary>Free parameters for AICc: smoothing + initial states (incl. m-1 seasonal) + the error variance.</summary>
    public int AiccParameterCount => ParameterCount + (HasSeason ? Period - 1 : 0) + 1;

    public override string ToString()
    {
        char e = Error == EtsError.Additive ? 'A' : 'M';
        string t = Trend switch { EtsTrend.None => "N", EtsTrend.Additive => "A", _ => "Ad" };
        char s = !HasSeason ? 'N' : Season == EtsSeason.Additive ? 'A' : 'M';
        return $"ETS({e},{t},{s})";
    }
}
