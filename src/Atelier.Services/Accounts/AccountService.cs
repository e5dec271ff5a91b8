using Atelier.Services.Api;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Atelier.Services.Accounts;

/// <summary>Registration, password login with lockout, and user creation for the CLI.</summary>
public sealed class AccountService(NpgsqlDataSource db, IPasswordHasher<AccountCredential> hasher, IOptions<AccountOptions> options)
{
    private static readonly AccountCredential Credential = new();
    private readonly AccountOptions _options = options.Value;
    private string? _dummyHash;

    public static Validation ValidateCredentials(string? email, string? password, int minLength)
    {
        var v = new Validation();
        v.Require(!string.IsNullOrWhiteSpace(email) && email.Length <= 254 && email.Contains('@', StringComparison.Ordinal)
                  && email.IndexOf('@', StringComparison.Ordinal) > 0 && email.IndexOf('@', StringComparison.Ordinal) < email.Length - 1,
            "email", "a valid email address is required");
        v.Require(password is not null && password.Length >= minLength && password.Length <= 200,
            "password", $"the password needs {minLength} to 200 characters");
        return v;
    }

    /// <summary>Creates a customer account (customer, PII, user) in one transaction; null when the email is taken.</summary>
    public async Task<UserInfo?> RegisterAsync(string email, string password, string fullName, CancellationToken ct)
    {
        email = email.Trim().ToLowerInvariant();
        var hash = hasher.HashPassword(Credential, password);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM app_user WHERE email = @e UNION ALL SELECT 1 FROM customer_pii WHERE email = @e", conn, tx))
        {
            exists.Parameters.AddWithValue("e", email);
            if (await exists.ExecuteScalarAsync(ct) is not null) return null;
        }
        await using var cmd = new NpgsqlCommand("""
            WITH c AS (INSERT INTO customer DEFAULT VALUES RETURNING customer_id),
                 p AS (INSERT INTO customer_pii (customer_id, full_name, email) SELECT customer_id, @n, @e FROM c)
            INSERT INTO app_user (email, password_hash, role, customer_id)
            SELECT @e, @h, 'customer', customer_id FROM c
            RETURNING user_id, customer_id
            """, conn, tx);
        cmd.Parameters.AddWithValue("e", email);
        cmd.Parameters.AddWithValue("n", fullName);
        cmd.Parameters.AddWithValue("h", hash);
        try
        {
            await using var r = await cmd.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            var info = new UserInfo(r.GetInt64(0), email, AtelierRoles.Customer, r.GetInt64(1));
            await r.CloseAsync();
            await tx.CommitAsync(ct);
            return info;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return null; // lost a race with a concurrent registration of the same email
        }
    }

    /// <summary>A customer sign-in for a customer who already exists (the demo store's shopper): their contact record
    /// (kept if there is one, with this email) and the user, in one transaction.</summary>
    public async Task<UserInfo> CreateCustomerLoginAsync(long customerId, string email, string password, string fullName, CancellationToken ct)
    {
        email = email.Trim().ToLowerInvariant();
        await using var cmd = db.CreateCommand("""
            WITH p AS (INSERT INTO customer_pii (customer_id, full_name, email) VALUES (@c, @n, @e)
                       ON CONFLICT (customer_id) DO UPDATE SET email = excluded.email)
            INSERT INTO app_user (email, password_hash, role, customer_id) VALUES (@e, @h, 'customer', @c) RETURNING user_id
            """);
        cmd.Parameters.AddWithValue("c", customerId);
        cmd.Parameters.AddWithValue("n", fullName);
        cmd.Parameters.AddWithValue("e", email);
        cmd.Parameters.AddWithValue("h", hasher.HashPassword(Credential, password));
        return new UserInfo((long)(await cmd.ExecuteScalarAsync(ct))!, email, AtelierRoles.Customer, customerId);
    }

    /// <summary>Creates a user of any role (CLI bootstrap, admin API). Customers get a customer row too.</summary>
    public async Task<UserInfo> CreateUserAsync(string email, string password, string role, CancellationToken ct)
    {
        if (!AtelierRoles.All.Contains(role)) throw new ArgumentException($"unknown role '{role}'", nameof(role));
        if (role == AtelierRoles.Customer)
            return await RegisterAsync(email, password, email, ct)
                   ?? throw new DomainException(DomainErrorKind.Conflict, "Email taken", $"an account with email {email} already exists", "email");
        email = email.Trim().ToLowerInvariant();
        await using var cmd = db.CreateCommand("""
            INSERT INTO app_user (email, password_hash, role) VALUES (@e, @h, @r)
            ON CONFLICT (email) DO NOTHING RETURNING user_id
            """);
        cmd.Parameters.AddWithValue("e", email);
        cmd.Parameters.AddWithValue("h", hasher.HashPassword(Credential, password));
        cmd.Parameters.AddWithValue("r", role);
        var id = await cmd.ExecuteScalarAsync(ct)
                 ?? throw new DomainException(DomainErrorKind.Conflict, "Email taken", $"an account with email {email} already exists", "email");
        return new UserInfo((long)id, email, role, null);
    }

    /// <summary>
    /// Verifies the password. Failed attempts are counted; reaching the limit locks the account for the lockout
    /// period (a locked account is refused even with the right password). Success resets the counter.
    /// </summary>
    public async Task<LoginResult> LoginAsync(string email, string password, Guid? sessionId, CancellationToken ct)
    {
        email = email.Trim().ToLowerInvariant();
        await using var conn = await db.OpenConnectionAsync(ct);
        long userId;
        string hash, role;
        long? customerId;
        DateTimeOffset? lockedUntil;
        await using (var cmd = new NpgsqlCommand(
            "SELECT user_id, password_hash, role, customer_id, locked_until FROM app_user WHERE email = @e", conn))
        {
            cmd.Parameters.AddWithValue("e", email);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                // Same work as a real check, so response time does not reveal which emails exist.
                _dummyHash ??= hasher.HashPassword(Credential, Guid.NewGuid().ToString());
                hasher.VerifyHashedPassword(Credential, _dummyHash, password);
                return new LoginResult(LoginStatus.BadCredentials, null, null, 0);
            }
            userId = r.GetInt64(0);
            hash = r.GetString(1);
            role = r.GetString(2);
            customerId = r.IsDBNull(3) ? null : r.GetInt64(3);
            lockedUntil = r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4);
        }
        if (lockedUntil > DateTimeOffset.UtcNow) return new LoginResult(LoginStatus.LockedOut, null, lockedUntil, 0);

        var verdict = hasher.VerifyHashedPassword(Credential, hash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            await using var fail = new NpgsqlCommand("""
                UPDATE app_user SET failed_logins = failed_logins + 1,
                       locked_until = CASE WHEN failed_logins + 1 >= @max THEN now() + make_interval(mins => @mins) END
                WHERE user_id = @u RETURNING locked_until
                """, conn);
            fail.Parameters.AddWithValue("u", userId);
            fail.Parameters.AddWithValue("max", _options.MaxFailedLogins);
            fail.Parameters.AddWithValue("mins", _options.LockoutMinutes);
            var until = await fail.ExecuteScalarAsync(ct);
            return until is DateTime d
                ? new LoginResult(LoginStatus.LockedOut, null, new DateTimeOffset(d, TimeSpan.Zero), 0)
                : new LoginResult(LoginStatus.BadCredentials, null, null, 0);
        }

        await using (var ok = new NpgsqlCommand("""
            UPDATE app_user SET failed_logins = 0, locked_until = NULL, password_hash = coalesce(@h, password_hash)
            WHERE user_id = @u
            """, conn))
        {
            ok.Parameters.AddWithValue("u", userId);
            ok.Parameters.AddWithValue("h", verdict == PasswordVerificationResult.SuccessRehashNeeded
                ? hasher.HashPassword(Credential, password) : DBNull.Value);
            await ok.ExecuteNonQueryAsync(ct);
        }
        var merged = 0;
        if (sessionId is { } sid && customerId is { } cid) merged = await MergeSessionAsync(conn, sid, cid, ct);
        return new LoginResult(LoginStatus.Ok, new UserInfo(userId, email, role, customerId), null, merged);
    }

    public async Task<int> MergeSessionAsync(Guid sessionId, long customerId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await MergeSessionAsync(conn, sessionId, customerId, ct);
    }

    private static async Task<int> MergeSessionAsync(NpgsqlConnection conn, Guid sessionId, long customerId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT merge_session(@s, @c)", conn);
        cmd.Parameters.AddWithValue("s", sessionId);
        cmd.Parameters.AddWithValue("c", customerId);
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task<UserInfo?> FindAsync(long userId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT user_id, email, role, customer_id FROM app_user WHERE user_id = @u");
        cmd.Parameters.AddWithValue("u", userId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new UserInfo(r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetInt64(3));
    }
}
