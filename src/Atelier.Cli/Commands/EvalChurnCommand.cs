using System.CommandLine;
using Atelier.Services.Customers;
using Atelier.Services.Datasets;
using Spectre.Console;

namespace Atelier.Cli.Commands;

/// <summary><c>atelier eval churn</c>: churn models on UCI Online Retail, chosen by cross-validation, scored on the hold-out.</summary>
internal static class EvalChurnCommand
{
    public static Command Create()
    {
        var data = CustomerEvalOptions.DataOption();
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var seed = new Option<int>("--seed") { Description = "Hold-out split seed", DefaultValueFactory = _ => 42 };
        var cmd = new Command("churn", "Churn (no purchase 2011-09-09..12-09) on UCI Online Retail: AUROC, PR-AUC, calibration");
        cmd.Options.Add(data); cmd.Options.Add(json); cmd.Options.Add(seed);
        cmd.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            CustomerEvalOptions.RequireOnlineRetail(pr.GetValue(data));
            var histories = CustomerHistory.FromRows(OnlineRetail.ReadAll());
            ct.ThrowIfCancellationRequested();
            var report = ChurnEvaluation.Run(histories, pr.GetValue(seed));
            if (pr.GetValue(json)) { JsonOutput.Write(report); return Task.FromResult(0); }
            AnsiConsole.MarkupLine($"Churn: {report.Customers} customers, churn rate {report.ChurnRate:P1}, hold-out {report.Holdout}");
            var t = new Table().AddColumns("model", "CV AUROC", "AUROC", "PR-AUC", "Brier raw", "Brier Platt", "ECE");
            foreach (var m in report.Models)
                t.AddRow(Markup.Escape(m.Model), $"{m.CvAuroc:F4}", $"{m.Auroc:F4}", $"{m.PrAuc:F4}", $"{m.BrierUncalibrated:F4}", $"{m.Brier:F4}", $"{m.ExpectedCalibrationError:F4}");
            AnsiConsole.Write(t);
            AnsiConsole.MarkupLine($"Chosen by {Markup.Escape(report.Selection)}: {Markup.Escape(report.BestModel)} (CV {report.CvAuroc:F4}) → hold-out AUROC {report.Auroc:F4}");
            return Task.FromResult(0);
        });
        return cmd;
    }
}
