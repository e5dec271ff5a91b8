using System.CommandLine;
using Atelier.Data.Migrations;
using Atelier.Services.Demo;

namespace Atelier.Cli.Commands;

/// <summary><c>atelier generate</c>: a deterministic synthetic demo store; <c>generate hm-transactions</c>: a load-test file.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var customers = new Option<int>("--customers") { Description = "Number of customers.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed, same store).", DefaultValueFactory = _ => 42 };
        var cmd = new Command("generate", "Generate a synthetic fashion store (catalogue, customers, orders, campaigns, events, reviews).") { customers, seed };
        cmd.SetAction(async (pr, ct) =>
        {
            var n = pr.GetValue(customers);
            if (n is < 1 or > 5_000_000) throw new CliException("--customers must be between 1 and 5,000,000");
            await using var ds = await Database.DataSourceAsync(ct);
            await MigrationRunner.MigrateAsync(ds, ct);
            await using (var count = ds.CreateCommand("SELECT count(*) FROM product WHERE product_code LIKE 'D%'"))
                if ((long)(await count.ExecuteScalarAsync(ct))! > 0)
                    throw new CliException("the database already holds a generated store: run './atelier db reset' first");
            var s = await new DemoStoreGenerator(ds).GenerateAsync(n, pr.GetValue(seed), ct);
            Console.WriteLine($"generated {s.Products} products, {s.Articles} articles, {s.Customers} customers, {s.Orders} orders ({s.OrderLines} lines), {s.Reviews} reviews, {s.Events} events; e-mail experiment true uplift {s.TrueUplift:P0}");
            return 0;
        });
        cmd.Subcommands.Add(HmTransactions());
        return cmd;
    }

    private static Command HmTransactions()
    {
        var output = new Argument<string>("output") { Description = "CSV file to write." };
        var rows = new Option<long>("--rows") { Description = "Rows to write.", DefaultValueFactory = _ => 10_000_000 };
        var customers = new Option<int>("--customers") { Description = "Distinct customers.", DefaultValueFactory = _ => 1_000_000 };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 42 };
        var cmd = new Command("hm-transactions", "Write a synthetic H&M-format transactions_train.csv for import load tests.") { output, rows, customers, seed };
        cmd.SetAction((pr, ct) =>
        {
            var n = HmTransactionsFile.Write(pr.GetValue(output)!, pr.GetValue(rows), pr.GetValue(customers), pr.GetValue(seed), null, ct);
            Console.WriteLine($"wrote {n:N0} rows to {pr.GetValue(output)}");
            return Task.FromResult(0);
        });
        return cmd;
    }
}
