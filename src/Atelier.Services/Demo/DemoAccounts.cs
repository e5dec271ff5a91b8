using System.Security.Cryptography;
using Atelier.Services.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Atelier.Services.Demo;

/// <summary>One sign-in for trying the demo store; the password exists only in this value (it is stored hashed).</summary>
public sealed record DemoLogin(string Role, string Email, string Password, long? CustomerId);

/// <summary>
/// Sign-ins for a freshly generated demo store, so that <c>atelier up</c> can be tried end to end at once: an admin
/// (dashboard, customers, models) and a shopper who is the demo customer with the most orders (so the shop's
/// <i>Picked for you</i> has a history to work from). Random passwords, hashed like every other account
/// (<see cref="AccountService"/>); the caller shows them once. Never used for a store that was not generated (real
/// stores add their staff with <c>users add</c>).
/// </summary>
public sealed class DemoAccounts(NpgsqlDataSource db)
{
    public const string AdminEmail = "admin@demo.example";
    public const string ShopperEmail = "shopper@demo.example";

    public async Task<IReadOnlyList<DemoLogin>> CreateAsync(CancellationToken ct)
    {
        var accounts = new AccountService(db, new PasswordHasher<AccountCredential>(), Options.Create(new AccountOptions()));
        var admin = new DemoLogin(AtelierRoles.Admin, AdminEmail, NewPassword(), null);
        await accounts.CreateUserAsync(admin.Email, admin.Password, admin.Role, ct);
        var logins = new List<DemoLogin> { admin };
        await using var pick = db.CreateCommand("""
            SELECT o.customer_id FROM orders o LEFT JOIN app_user u USING (customer_id)
            WHERE u.user_id IS NULL GROUP BY o.customer_id ORDER BY count(*) DESC, o.customer_id LIMIT 1
            """);
        if (await pick.ExecuteScalarAsync(ct) is long customer)
        {
            var shopper = new DemoLogin(AtelierRoles.Customer, ShopperEmail, NewPassword(), customer);
            await accounts.CreateCustomerLoginAsync(customer, shopper.Email, shopper.Password, "Demo Shopper", ct);
            logins.Add(shopper);
        }
        return logins;
    }

    /// <summary>16 characters from an alphabet without look-alikes (0/O, 1/l/I), ≈ 90 bits.</summary>
    private static string NewPassword() => RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 16);
}
