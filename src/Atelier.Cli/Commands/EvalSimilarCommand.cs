using System.CommandLine;
using Atelier.Services.Recommendations;

namespace Atelier.Cli.Commands;

/// <summary><c>atelier eval similar --data hm|online-retail [--json]</c>: the product page's similar-items lists on the time split.</summary>
internal static class EvalSimilarCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "hm | online-retail", DefaultValueFactory = _ => "hm" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var cmd = new Command("similar", "Similar-items lists (item-kNN, text, style): hit rate of the next purchases, same type/group share, new arrivals, coverage.")
        {
            data, json,
        };
        cmd.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            string name = pr.GetValue(data)!;
            if (name is not ("hm" or "online-retail")) throw new CliException($"Unknown dataset '{name}': use hm or online-retail.");
            bool asJson = pr.GetValue(json);
            Action<string> progress = asJson ? _ => { } : s => Console.Error.WriteLine($"[eval similar] {s}");
            progress("loading " + name);
            var result = SimilarItemsEvaluation.Run(RecsDataset.Load(name), progress);
            if (asJson) JsonOutput.Write(result);
            else
            {
                Console.WriteLine($"{result.Dataset}: {result.Anchors} anchors (each test customer's last article before the split), {result.Items} items, {result.Seconds:F0}s");
                foreach (var m in result.Models)
                    Console.WriteLine($"{m.Name,-9} hit@12 {m.HitRateAt12:F4}  P@12 {m.PrecisionAt12:F4}  same type {m.SameTypeShare:P0}  same group {m.SameGroupShare:P0}  " +
                        $"unsold {m.UnsoldShare:P1}  fill {m.ListFill:P0}  cov {m.Coverage:F3}");
            }
            return Task.FromResult(0);
        });
        return cmd;
    }
}
