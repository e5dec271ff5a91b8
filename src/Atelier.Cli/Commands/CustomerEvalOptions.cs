using System.CommandLine;

namespace Atelier.Cli.Commands;

/// <summary>The <c>--data</c> option shared by the customer-intelligence evaluations.</summary>
internal static class CustomerEvalOptions
{
    public static Option<string> DataOption() => new("--data")
    {
        Description = "Dataset (only online-retail: UCI Online Retail)", DefaultValueFactory = _ => "online-retail",
    };

    public static void RequireOnlineRetail(string? value)
    {
        if (!string.Equals(value, "online-retail", StringComparison.OrdinalIgnoreCase))
            throw new CliException($"unknown --data '{value}' (supported: online-retail)");
    }
}
