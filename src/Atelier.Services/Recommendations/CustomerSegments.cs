namespace Atelier.Services.Recommendations;

/// <summary>Customer segments for per-segment popularity.</summary>
public static class CustomerSegments
{
    /// <summary>Age bands: under 25, 25–34, 35–44, 45–54, 55–64, 65 and over (0..5); -1 when the age is unknown.</summary>
    public static int AgeBand(int? age) => age switch
    {
        null or < 10 or > 120 => -1,
        < 25 => 0,
        < 35 => 1,
        < 45 => 2,
        < 55 => 3,
        < 65 => 4,
        _ => 5,
    };

    public const int AgeBands = 6;
}
