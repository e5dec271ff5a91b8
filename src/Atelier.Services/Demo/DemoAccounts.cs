using System.Security.Cryptography;
using Atelier.Services.Accounts;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace Atelier.Services.Demo;

/// <summary>One sign-in for trying the demo store; the password exists only in this value (it is stored hashed).</summary>
public sealed record DemoLogin(string Role, string Email, string Password, long? CustomerId);

/// <summary>
/// Sign-ins for a freshly generated demo store, so that <c>atelier up</c> can be tried end to end at once: an admin
/// (dashboard, customers, models) and a shopper who is the demo customer with the most orders (so the shop's
/// <i>Picked for you</i> has a history to work from). Random passwords, hashed like every other account; the caller
/// shows them once. Never used for a store that was not generated (real stores add their staff with <c>users add</c>).
/// </summary>
public sealed class DemoAccounts(NpgsqlDataSource db)
{
    public const string AdminEmail = "admin@demo.example";
    public const string ShopperEmail = "shopper@demo.example";

    public async Task<IReadOnlyList<DemoLogin>> CreateAsync(CancellationToken ct)
    {
        var hasher = new PasswordHasher<AccountCredential>();
        var admin = new DemoLogin(AtelierRoles.Admin, AdminEmail, NewPassword(), null);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        long? customer;
        await using (var pick = new NpgsqlCommand("""
            SELECT o.customer_id FROM orders o LEFT JOIN app_user u USING (customer_id)
            WHERE u.user_id IS NULL GROUP BY o.customer_id ORDER BY count(*) DESC, o.customer_id LIMIT 1
            """, conn, tx))
            customer = await pick.ExecuteScalarAsync(ct) as long?;
        var logins = new List<DemoLogin> { admin };
        await using (var cmd = new NpgsqlCommand("INSERT INTO app_user (email, password_hash, role) VALUES (@e, @h, @r)", conn, tx))
        {
            cmd.Parameters.AddWithValue("e", admin.Email);
            cmd.Parameters.AddWithValue("h", hasher.HashPassword(new AccountCredential(), admin.Password));
            cmd.Parameters.AddWithValue("r", admin.Role);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        if (customer is { } c)
        {
            var shopper = new DemoLogin(AtelierRoles.Customer, ShopperEmail, NewPassword(), c);
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO customer_pii (customer_id, full_name, email) VALUES (@c, 'Demo Shopper', @e)
                ON CONFLICT (customer_id) DO UPDATE SET email = excluded.email;
                INSERT INTO app_user (email, password_hash, role, customer_id) VALUES (@e, @h, 'customer', @c);
                """, conn, tx);
            cmd.Parameters.AddWithValue("c", c);
            cmd.Parameters.AddWithValue("e", shopper.Email);
            cmd.Parameters.AddWithValue("h", hasher.HashPassword(new AccountCredential(), shopper.Password));
            await cmd.ExecuteNonQueryAsync(ct);
            logins.Add(shopper);
        }
        await tx.CommitAsync(ct);
        return logins;
    }

    /// <summary>16 characters from an alphabet without look-alikes (0/O, 1/l/I), ≈ 90 bits.</summary>
    private static string NewPassword() => RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 16);
}
