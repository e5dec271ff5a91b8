using Atelier.Ml;
using Microsoft.Extensions.Configuration;

namespace Atelier.Services.Recommendations;

/// <summary>
/// Cores a web server's background recommender work may use (retraining on demand, the nightly run, loading a new
/// version): <c>Atelier:Recs:TrainingCores</c>, default all but one so the shop keeps a core; 0 = all.
/// </summary>
public static class TrainingCores
{
    public const string Setting = "Atelier:Recs:TrainingCores";

    public static int From(IConfiguration? config) => config?.GetValue<int?>(Setting) switch
    {
        null => MlParallel.AllButOne,
        <= 0 => Environment.ProcessorCount,
        var n => n.Value,
    };

    /// <summary>Limits the current flow's ML loops (<see cref="MlParallel.Limit"/>) as configured.</summary>
    public static IDisposable Limit(IConfiguration? config) => MlParallel.Limit(From(config));
}
