using System.CommandLine;
using Atelier.Data.Migrations;
using Atelier.Services.Accounts;
using Atelier.Services.Api;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Atelier.Cli.Commands;

/// <summary><c>atelier users add</c>: create accounts from the shell — the way to bootstrap the first admin.</summary>
internal static class UsersCommand
{
    public static Command Create()
    {
        var email = new Option<string>("--email") { Description = "Email address (the login).", Required = true };
        var role = new Option<string>("--role") { Description = "customer, seller or admin.", DefaultValueFactory = _ => AtelierRoles.Customer };
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input (never from the command line)." };
        var add = new Command("add", "Create a user (e.g. the first admin).") { email, role, stdin };
        add.SetAction(async (pr, ct) =>
        {
            var r = pr.GetValue(role)!;
            if (!AtelierRoles.All.Contains(r)) throw new CliException("--role must be customer, seller or admin");
            if (!pr.GetValue(stdin)) throw new CliException("pass the password on standard input with --password-stdin (e.g. 'read -s p; echo \"$p\" | ./atelier users add ...')");
            var password = (await Console.In.ReadLineAsync(ct))?.TrimEnd('\r', '\n') ?? "";
            var options = new AccountOptions();
            var v = AccountService.ValidateCredentials(pr.GetValue(email), password, options.MinPasswordLength);
            if (!v.IsValid) throw new CliException(string.Join("; ", v.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
            await using var ds = await Database.DataSourceAsync(ct);
            await MigrationRunner.MigrateAsync(ds, ct);
            var accounts = new AccountService(ds, new PasswordHasher<AccountCredential>(), Options.Create(options));
            try
            {
                var user = await accounts.CreateUserAsync(pr.GetValue(email)!, password, r, ct);
                Console.WriteLine($"created {user.Role} {user.Email} (user {user.UserId})");
            }
            catch (DomainException ex)
            {
                throw new CliException(ex.Message);
            }
            return 0;
        });
        var users = new Command("users", "Manage user accounts.");
        users.Subcommands.Add(add);
        return users;
    }
}
