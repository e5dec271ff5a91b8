using System.CommandLine;
using Atelier.Services.Reviews;

namespace Atelier.Cli.Commands;

/// <summary><c>atelier eval sentiment</c>: review sentiment models and VADER on Women's E-Commerce Clothing Reviews.</summary>
internal static class EvalSentimentCommand
{
    // Chosen on the validation split (docs/models.md lists the other candidates tried); pass more to compare.
    public static readonly string[] DefaultRecommended = ["chars:8:nv"];
    public static readonly string[] DefaultThreeClass = ["chars:4:bnv"];

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var seed = new Option<int>("--seed") { Description = "Split seed.", DefaultValueFactory = _ => 42 };
        var rec = new Option<string[]>("--recommended-models")
        {
            Description = "Candidate specs words|chars:C[:bnv] (b balanced, n NB scaling, v VADER features).",
            DefaultValueFactory = _ => DefaultRecommended,
            AllowMultipleArgumentsPerToken = true,
        };
        var three = new Option<string[]>("--three-class-models")
        {
            Description = "Candidate specs for the 1–2 / 3 / 4–5 star model.",
            DefaultValueFactory = _ => DefaultThreeClass,
            AllowMultipleArgumentsPerToken = true,
        };
        var aspectsOnly = new Option<bool>("--aspects-only") { Description = "Only score the size-and-fit extractor on the hand labels." };
        var cmd = new Command("sentiment", "Review sentiment (TF-IDF + logistic regression, VADER) and size-and-fit aspects.");
        cmd.Options.Add(json);
        cmd.Options.Add(seed);
        cmd.Options.Add(rec);
        cmd.Options.Add(three);
        cmd.Options.Add(aspectsOnly);
        cmd.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            SentimentCandidate[] Parse(string[] specs)
            {
                try
                {
                    return Array.ConvertAll(specs, SentimentCandidate.Parse);
                }
                catch (FormatException e)
                {
                    throw new CliException(e.Message);
                }
            }
            var asJson = pr.GetValue(json);
            if (pr.GetValue(aspectsOnly))
            {
                JsonOutput.Write(new { SizeFit = SentimentEvaluation.ScoreSizeFit() ?? throw new CliException($"{SizeFitLabels.RelativePath} not found") });
                return Task.FromResult(0);
            }
            var result = SentimentEvaluation.Run(Parse(pr.GetValue(rec)!), Parse(pr.GetValue(three)!), pr.GetValue(seed),
                asJson ? null : Console.Error.WriteLine);
            JsonOutput.Write(result);
            return Task.FromResult(0);
        });
        return cmd;
    }
}
