using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Atelier.Services.Hosting;

/// <summary>
/// The platform's own measurements (System.Diagnostics.Metrics, meter <c>Atelier</c>), exposed with ASP.NET Core's
/// and the runtime's at <c>/metrics</c>. Instruments are static so that services constructed without DI (the CLI,
/// tests) record into the same meter; nothing is collected until a listener subscribes.
/// Names and units follow the OpenTelemetry semantic conventions (lower case, dots, UCUM units).
/// </summary>
public static class AtelierMeter
{
    public const string Name = "Atelier";
    private static readonly Meter Meter = new(Name, "1.0");

    /// <summary>Recommendation lists served; tags <c>list</c> (customer, similar, outfit, session) and <c>model.version</c>.</summary>
    public static readonly Counter<long> RecommendationLists = Meter.CreateCounter<long>(
        "atelier.recommendations.lists", "{list}", "Recommendation lists served");

    /// <summary>Time to build one list (candidates, ranker, rules; not the HTTP round trip); tag <c>list</c>.</summary>
    public static readonly Histogram<double> RecommendationDuration = Meter.CreateHistogram<double>(
        "atelier.recommendations.duration", "s", "Time to build one recommendation list",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] });

    /// <summary>Orders placed (not replays of an idempotency key); tag <c>source</c> (cart or items).</summary>
    public static readonly Counter<long> OrdersPlaced = Meter.CreateCounter<long>("atelier.orders.placed", "{order}", "Orders placed");

    /// <summary>Value of the orders placed, in the store's currency.</summary>
    public static readonly Counter<double> OrderRevenue = Meter.CreateCounter<double>("atelier.orders.revenue", "{currency}", "Value of the orders placed");

    /// <summary>Tracked runs (training, analyses, forecasts) that finished; tags <c>model</c> and <c>status</c>.</summary>
    public static readonly Counter<long> Runs = Meter.CreateCounter<long>("atelier.runs", "{run}", "Tracked runs finished");

    /// <summary>Duration of the finished tracked runs; tags <c>model</c> and <c>status</c>.</summary>
    public static readonly Histogram<double> RunDuration = Meter.CreateHistogram<double>("atelier.run.duration", "s", "Duration of tracked runs",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600] });

    private static int _servedVersion = -1;

    /// <summary>The recommender version this process serves (set on every swap; absent before the first).</summary>
    public static void SetServedRecommenderVersion(int version) => Volatile.Write(ref _servedVersion, version);

    private static readonly ObservableGauge<int> ServedVersion = Meter.CreateObservableGauge("atelier.recommendations.model.version",
        () => Volatile.Read(ref _servedVersion) is var v and >= 0 ? [new Measurement<int>(v)] : Array.Empty<Measurement<int>>(),
        "{version}", "Recommender model version served by this process");

    private static Recommendations.RecsDriftDto? _drift;

    /// <summary>The served recommender's latest drift check (<see cref="Recommendations.RecsDrift"/>).</summary>
    public static void SetRecommenderDrift(Recommendations.RecsDriftDto drift) => Volatile.Write(ref _drift, drift);

    /// <summary>Each measure of the latest drift check (tag <c>measure</c>; <c>drifting</c> is 1 when retraining is advised),
    /// tagged with the checked <c>model.version</c>; absent before the first check.</summary>
    private static readonly ObservableGauge<double> Drift = Meter.CreateObservableGauge("atelier.recommendations.drift", () =>
    {
        if (Volatile.Read(ref _drift) is not { } d) return Array.Empty<Measurement<double>>();
        var version = new KeyValuePair<string, object?>("model.version", d.Version);
        return d.Measures.Where(m => m.Value is not null)
            .Select(m => new Measurement<double>(m.Value!.Value, new KeyValuePair<string, object?>("measure", m.Name), version))
            .Append(new Measurement<double>(d.Status == "drifting" ? 1 : 0, new KeyValuePair<string, object?>("measure", "drifting"), version))
            .ToArray();
    }, "1", "Latest drift check of the served recommender");

    /// <summary>Times a piece of work into <see cref="RecommendationDuration"/> and counts it in <see cref="RecommendationLists"/>.</summary>
    public static T MeasureList<T>(string list, int modelVersion, Func<T> build)
    {
        long start = Stopwatch.GetTimestamp();
        var result = build();
        RecommendationDuration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, new KeyValuePair<string, object?>("list", list));
        RecommendationLists.Add(1, new KeyValuePair<string, object?>("list", list), new KeyValuePair<string, object?>("model.version", modelVersion));
        return result;
    }
}
