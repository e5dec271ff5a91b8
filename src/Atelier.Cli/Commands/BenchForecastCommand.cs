using System.CommandLine;
using Atelier.Services.Forecasting;

namespace Atelier.Cli.Commands;

/// <summary><c>atelier bench forecast</c>: automatic ETS over every article-level weekly series of UCI Online Retail.</summary>
internal static class BenchForecastCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var horizon = new Option<int>("--horizon") { Description = "Forecast horizon (weeks)", DefaultValueFactory = _ => 4 };
        var cmd = new Command("forecast", "Automatic ETS fit + forecast + intervals per article-level weekly series (parallel).");
        cmd.Options.Add(json);
        cmd.Options.Add(horizon);
        cmd.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var set = RetailSeries.Load().WeeklyByArticle();
            var r = EtsBenchmark.Run(set, pr.GetValue(horizon));
            var output = new
            {
                EtsSeriesPerS = Math.Round(r.SeriesPerSecond, 0),
                EtsSeriesPerCpuS = Math.Round(r.SeriesPerCpuSecond, 0),
                Note = "wall-clock rate on a shared machine; per_cpu_s × cores is the uncontended estimate",
                r.Series, r.Periods, r.Horizon, Seconds = Math.Round(r.Seconds, 3),
                Cores = Environment.ProcessorCount, r.AllocatedBytesPerSeries,
                SelectedModels = r.SelectedModels.Select(kv => new { Model = kv.Key, Series = kv.Value }),
            };
            if (pr.GetValue(json)) JsonOutput.Write(output);
            else Console.WriteLine($"{r.Series} series × {r.Periods} weeks: {r.SeriesPerSecond:F0} series/s ({r.Seconds:F2} s)");
            return Task.FromResult(0);
        });
        return cmd;
    }
}
