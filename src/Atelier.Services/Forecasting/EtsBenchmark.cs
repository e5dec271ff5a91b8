using System.Diagnostics;
using Atelier.Ml.Forecasting;

namespace Atelier.Services.Forecasting;

public sealed record EtsBenchmarkResult(int Series, int Periods, int Horizon, double Seconds, double SeriesPerSecond,
    double SeriesPerCpuSecond,
    IReadOnlyDictionary<string, int> SelectedModels, long AllocatedBytesPerSeries);

/// <summary>Automatic ETS (AICc selection) fit + forecast + 80/95% intervals for every series, in parallel.</summary>
public static class EtsBenchmark
{
    public static EtsBenchmarkResult Run(SeriesSet set, int horizon, int repeats = 3)
    {
        var chosen = new string[set.Count];
        Once(set, horizon, chosen); // warm-up (JIT, thread-local workspaces)
        long before = GC.GetTotalAllocatedBytes(true);
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        for (int r = 0; r < repeats; r++) Once(set, horizon, chosen);
        sw.Stop();
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds / repeats;
        long bytes = GC.GetTotalAllocatedBytes(true) - before;
        double secs = sw.Elapsed.TotalSeconds / repeats;
        var counts = chosen.GroupBy(c => c).OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count());
        return new EtsBenchmarkResult(set.Count, set.Length, horizon, secs, set.Count / secs, set.Count / cpu, counts,
            bytes / Math.Max(1, (long)set.Count * repeats));
    }

    private static void Once(SeriesSet set, int horizon, string[] chosen) =>
        Parallel.For(0, set.Count, i =>
        {
            var model = EtsFitter.AutoFit(set.Values[i], set.Period);
            if (model is null) { chosen[i] = "none"; return; }
            var iv = PredictionIntervals.Build(model.Forecast(horizon));
            chosen[i] = iv.Mean.Length == horizon ? model.Spec.ToString() : "?";
        });
}
