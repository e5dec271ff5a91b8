namespace Atelier.Services.Accounts;

public sealed record RegisterRequest(string? Email, string? Password, string? FullName, Guid? SessionId);

public sealed record LoginRequest(string? Email, string? Password, Guid? SessionId);

public sealed record UserInfo(long UserId, string Email, string Role, long? CustomerId);

public enum LoginStatus { Ok, BadCredentials, LockedOut }

public sealed record LoginResult(LoginStatus Status, UserInfo? User, DateTimeOffset? LockedUntil, int MergedEvents);

/// <summary>Marker type for <see cref="Microsoft.AspNetCore.Identity.PasswordHasher{TUser}"/>.</summary>
public sealed class AccountCredential;

/// <summary>Roles, claim types and policy names shared by the web app and the CLI.</summary>
public static class AtelierRoles
{
    public const string Customer = "customer";
    public const string Seller = "seller";
    public const string Admin = "admin";
    public static readonly string[] All = [Customer, Seller, Admin];

    public const string CustomerIdClaim = "atelier:customer_id";
    public const string CustomerPolicy = "customer";
    public const string StaffPolicy = "staff";
    public const string AdminPolicy = "admin";
}

/// <summary>Lockout settings (section <c>Atelier:Accounts</c>).</summary>
public sealed class AccountOptions
{
    public int MaxFailedLogins { get; set; } = 5;
    public int LockoutMinutes { get; set; } = 15;
    public int MinPasswordLength { get; set; } = 10;
}
