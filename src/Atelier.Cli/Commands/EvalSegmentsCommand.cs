using System.CommandLine;
using Atelier.Services.Customers;
using Atelier.Services.Datasets;
using Spectre.Console;

namespace Atelier.Cli.Commands;

/// <summary><c>atelier eval segments</c>: RFM groups, k-means++ with silhouette-chosen k, diagonal GMM.</summary>
internal static class EvalSegmentsCommand
{
    public static Command Create()
    {
        var data = CustomerEvalOptions.DataOption();
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var cmd = new Command("segments", "Customer segmentation on UCI Online Retail (RFM as of 2011-12-10): silhouette per k, profiles, GMM");
        cmd.Options.Add(data); cmd.Options.Add(json);
        cmd.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            CustomerEvalOptions.RequireOnlineRetail(pr.GetValue(data));
            var histories = CustomerHistory.FromRows(OnlineRetail.ReadClean());
            ct.ThrowIfCancellationRequested();
            var report = SegmentationEvaluation.Run(histories);
            if (pr.GetValue(json)) { JsonOutput.Write(report); return Task.FromResult(0); }
            AnsiConsole.MarkupLine($"{report.Customers} customers; best k = {report.K} (silhouette {report.Silhouette:F4})");
            var s = new Table().AddColumns("k", "silhouette", "inertia", "GMM BIC");
            foreach (var p in report.PerK) s.AddRow($"{p.K}", $"{p.Silhouette:F4}", $"{p.Inertia:F1}", $"{p.GmmBic:F1}");
            AnsiConsole.Write(s);
            var t = new Table().AddColumns("cluster", "name", "size", "recency d", "orders", "spend");
            foreach (var p in report.Profiles)
                t.AddRow($"{p.Cluster}", Markup.Escape(p.Name), $"{p.Size}", $"{p.MeanRecencyDays:F0}", $"{p.MeanFrequency:F1}", $"{p.MeanMonetary:F0}");
            AnsiConsole.Write(t);
            return Task.FromResult(0);
        });
        return cmd;
    }
}
