using System.CommandLine;
using Atelier.Services.Customers;
using Atelier.Services.Datasets;
using Spectre.Console;

namespace Atelier.Cli.Commands;

/// <summary><c>atelier eval clv</c>: BG/NBD + Gamma–Gamma calibration/hold-out check and 365-day CLV.</summary>
internal static class EvalClvCommand
{
    public static Command Create()
    {
        var data = CustomerEvalOptions.DataOption();
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var cmd = new Command("clv", "BG/NBD + Gamma-Gamma on UCI Online Retail: calibration to 2011-09-09, hold-out to 2011-12-09");
        cmd.Options.Add(data); cmd.Options.Add(json);
        cmd.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            CustomerEvalOptions.RequireOnlineRetail(pr.GetValue(data));
            var histories = CustomerHistory.FromRows(OnlineRetail.ReadClean());
            ct.ThrowIfCancellationRequested();
            var report = ClvEvaluation.Run(histories);
            if (pr.GetValue(json)) { JsonOutput.Write(report); return Task.FromResult(0); }
            var m = report.BgNbd;
            AnsiConsole.MarkupLine($"BG/NBD r={m.R:F4} alpha={m.Alpha:F4} a={m.A:F4} b={m.B:F4}; Gamma-Gamma p={report.GammaGamma.P:F3} q={report.GammaGamma.Q:F3} gamma={report.GammaGamma.Gamma:F3}");
            var t = new Table().AddColumns("calibration repeat days", "customers", "mean predicted", "mean actual");
            foreach (var b in report.Calibration) t.AddRow(b.Frequency, $"{b.Customers}", $"{b.MeanPredicted:F3}", $"{b.MeanActual:F3}");
            AnsiConsole.Write(t);
            return Task.FromResult(0);
        });
        return cmd;
    }
}
