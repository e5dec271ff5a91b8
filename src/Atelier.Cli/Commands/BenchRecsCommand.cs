using System.Text.Json.Serialization;
using System.CommandLine;
using Atelier.Services.Recommendations;

namespace Atelier.Cli.Commands;

/// <summary>HTTP figures of the recommendation endpoint, filled in by the web benchmark (not part of the ML bench).</summary>
internal sealed record RecsEndpointFigures(double EndpointRps, double EndpointP99Ms, double ConstantRps, double ConstantP99Ms)
{
    public double EndpointP50Ms { get; init; }
    public double ConstantP50Ms { get; init; }
    /// <summary>The customer endpoint while the server retrains in the background, per training core limit.</summary>
    public IReadOnlyList<RetrainLoadFigures> DuringRetraining { get; init; } = [];
}

/// <summary>The customer endpoint under load while the server retrains with <paramref name="TrainingCores"/> cores.</summary>
internal sealed record RetrainLoadFigures(int TrainingCores, double RetrainSeconds, double Rps,
    [property: JsonPropertyName("p50_ms")] double P50Ms, [property: JsonPropertyName("p99_ms")] double P99Ms);

/// <summary>Per-dataset figure (H&amp;M and Online Retail matrices).</summary>
internal sealed record PerDataset(double Hm, double OnlineRetail);

/// <summary>The JSON of <c>bench recs</c>; explicit names where the snake-case policy would glue digits on.</summary>
internal sealed record RecsBenchResult(
    string Machine,
    [property: JsonPropertyName("als_seconds_per_iteration_64")] PerDataset AlsSecondsPerIteration64,
    [property: JsonPropertyName("als_seconds_per_iteration_128")] PerDataset AlsSecondsPerIteration128,
    PerDataset RankerTrainingSeconds,
    [property: JsonPropertyName("batch_top_12_users_per_second")] PerDataset BatchTop12UsersPerSecond,
    IReadOnlyList<RecsDatasetBench> Datasets,
    double? EndpointRps, [property: JsonPropertyName("endpoint_p99_ms")] double? EndpointP99Ms,
    double? ConstantRps, [property: JsonPropertyName("constant_p99_ms")] double? ConstantP99Ms,
    [property: JsonPropertyName("endpoint_p50_ms")] double? EndpointP50Ms, [property: JsonPropertyName("constant_p50_ms")] double? ConstantP50Ms,
    double? EndpointToConstantThroughput,
    IReadOnlyList<RetrainLoadFigures>? EndpointDuringRetraining);

/// <summary><c>atelier bench recs [--json]</c>: ALS seconds/iteration (64 and 128 factors), ranker training, batch top-12.</summary>
internal static class BenchRecsCommand
{
    /// <summary>
    /// Extension point for the HTTP benchmark of <c>/api/recommendations</c>: when set, its figures are added as
    /// <c>endpoint_rps</c>, <c>endpoint_p99_ms</c>, <c>constant_rps</c>, <c>constant_p99_ms</c>.
    /// </summary>
    public static Func<CancellationToken, Task<RecsEndpointFigures>>? EndpointBenchmark { get; set; } = BenchRecsHttp.RunAsync;

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var cmd = new Command("recs", "Recommender throughput on the H&M and Online Retail training matrices.");
        cmd.Options.Add(json);
        cmd.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var hm = RecsBenchmark.Run(RecsDataset.LoadHm(), RankerFactory.For(RankerFactory.Default), RankerFactory.ColdDefault);
            var retail = RecsBenchmark.Run(RecsDataset.LoadOnlineRetail(), RankerFactory.For(RankerFactory.Default), RankerFactory.ColdDefault);
            var http = EndpointBenchmark is null ? null : await EndpointBenchmark(ct);
            var result = new RecsBenchResult(
                $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}",
                new(hm.AlsSecondsPerIteration64, retail.AlsSecondsPerIteration64),
                new(hm.AlsSecondsPerIteration128, retail.AlsSecondsPerIteration128),
                new(hm.RankerTrainingSeconds, retail.RankerTrainingSeconds),
                new(hm.BatchTop12UsersPerSecond, retail.BatchTop12UsersPerSecond),
                [hm, retail],
                http?.EndpointRps, http?.EndpointP99Ms, http?.ConstantRps, http?.ConstantP99Ms,
                http?.EndpointP50Ms, http?.ConstantP50Ms,
                http is null ? null : Math.Round(http.EndpointRps / http.ConstantRps, 3),
                http?.DuringRetraining);
            if (pr.GetValue(json)) JsonOutput.Write(result);
            else
                foreach (var d in result.Datasets)
                    Console.WriteLine($"{d.Dataset}: ALS64 {d.AlsSecondsPerIteration64:F3}s/it, ALS128 {d.AlsSecondsPerIteration128:F3}s/it, " +
                        $"ranker {d.RankerTrainingSeconds:F2}s, ALS top-12 {d.BatchTop12UsersPerSecond:F0} users/s, hybrid {d.HybridTop12UsersPerSecond:F0} users/s");
            return 0;
        });
        return cmd;
    }
}
