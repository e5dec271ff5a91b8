using System.CommandLine;
using Atelier.Data.Migrations;
using Atelier.Services.Forecasting;

namespace Atelier.Cli.Commands;

/// <summary><c>atelier forecast</c>: forecast unit sales from the store's orders and store them for the API.</summary>
internal static class ForecastCommand
{
    public static Command Create()
    {
        var level = new Option<string>("--level") { Description = "total, category, product_type, product or article.", DefaultValueFactory = _ => "product" };
        var horizon = new Option<int>("--horizon") { Description = "Periods ahead.", DefaultValueFactory = _ => 12 };
        var frequency = new Option<string>("--frequency") { Description = "weekly or daily.", DefaultValueFactory = _ => "weekly" };
        var reconcile = new Option<bool>("--reconcile") { Description = "Forecast articles and sum them bottom-up to product, product_type and total (ignores --level)." };
        var asOf = new Option<DateTime?>("--as-of") { Description = "Forecast origin (UTC; default: the day after the last sale, at most now)." };
        var json = new Option<bool>("--json") { Description = "Print the run summaries as JSON." };
        var cmd = new Command("forecast", "Forecast unit sales per level from the store's orders and store them (replaces the previous run).")
        {
            level, horizon, frequency, reconcile, asOf, json,
        };
        cmd.SetAction(async (pr, ct) =>
        {
            var lv = pr.GetValue(level)!;
            var fr = pr.GetValue(frequency)!;
            var h = pr.GetValue(horizon);
            if (!ForecastLevels.All.Contains(lv)) throw new CliException("--level must be one of " + string.Join(", ", ForecastLevels.All));
            if (!ForecastLevels.Frequencies.Contains(fr)) throw new CliException("--frequency must be weekly or daily");
            if (h is < 1 or > 366) throw new CliException("--horizon must be between 1 and 366");
            await using var ds = await Database.DataSourceAsync(ct);
            await MigrationRunner.MigrateAsync(ds, ct);
            IReadOnlyList<ForecastRunSummary> runs;
            try
            {
                var at = pr.GetValue(asOf);
                runs = await new ForecastService(ds).RunAsync(lv, fr, h, pr.GetValue(reconcile),
                    at is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : null, ct);
            }
            catch (InvalidOperationException ex)
            {
                throw new CliException(ex.Message);
            }
            if (pr.GetValue(json)) JsonOutput.Write(runs);
            else
                foreach (var r in runs)
                    Console.WriteLine($"forecast run {r.RunId}: {r.Level} {r.Frequency}, {r.Series} series x {r.Horizon} from {r.Origin:yyyy-MM-dd} " +
                        $"(history from {r.HistoryStart:yyyy-MM-dd}; models {string.Join(", ", r.Models.Select(m => $"{m.Key} {m.Value}"))}) in {r.Seconds:0.0} s");
            return 0;
        });
        return cmd;
    }
}
