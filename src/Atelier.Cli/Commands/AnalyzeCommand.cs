using System.CommandLine;
using System.Globalization;
using Atelier.Data.Migrations;
using Atelier.Services.Customers;
using Atelier.Services.Reviews;

namespace Atelier.Cli.Commands;

/// <summary><c>atelier analyze customers|reviews</c>: compute insights from the store's own data and store them.</summary>
internal static class AnalyzeCommand
{
    public static Command Create()
    {
        var analyze = new Command("analyze", "Compute and store customer or review insights from the store's database.");
        analyze.Subcommands.Add(Customers());
        analyze.Subcommands.Add(Reviews());
        return analyze;
    }

    private static Command Customers()
    {
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        var cmd = new Command("customers", "RFM groups, k-means segments, churn probability, P(alive), CLV and next order date per customer.") { json };
        cmd.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            await using var ds = await Database.DataSourceAsync(ct);
            await MigrationRunner.MigrateAsync(ds, ct);
            var s = await new CustomerInsightService(ds).AnalyzeAsync(ct);
            if (pr.GetValue(json)) { JsonOutput.Write(s); return 0; }
            var top = string.Join(", ", s.RfmGroups.Take(3).Select(g => $"{g.Segment} {g.Customers}"));
            var churn = s.Churn.Trained ? $"churn model AUROC {s.Churn.OutOfFoldAuroc?.ToString("0.000", CultureInfo.InvariantCulture)} on {s.Churn.Rows}" : "churn: " + s.Churn.Note;
            Console.WriteLine($"analysed {s.Customers} customers as of {s.AsOf:yyyy-MM-dd HH:mm}Z: k={s.K?.ToString(CultureInfo.InvariantCulture) ?? "-"} " +
                $"(silhouette {s.Silhouette?.ToString("0.000", CultureInfo.InvariantCulture) ?? "-"}); {top}; {churn}; CLV {(s.ClvFitted ? "fitted" : s.ClvNote)}; {s.Seconds:0.0} s");
            return 0;
        });
        return cmd;
    }

    private static Command Reviews()
    {
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        var cmd = new Command("reviews", "Sentiment, aspects and size & fit per review; summary and size advice per product.") { json };
        cmd.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            await using var ds = await Database.DataSourceAsync(ct);
            await MigrationRunner.MigrateAsync(ds, ct);
            var s = await new ReviewInsightService(ds).AnalyzeAsync(ct);
            if (pr.GetValue(json)) { JsonOutput.Write(s); return 0; }
            Console.WriteLine($"analysed {s.Reviews} reviews of {s.Products} products ({s.SentimentNote}); size remarks: {s.RunsSmall} small, " +
                $"{s.RunsLarge} large, {s.TrueToSize} true to size; {s.ProductsWithAdvice} products with size advice; {s.Seconds:0.0} s");
            return 0;
        });
        return cmd;
    }
}
