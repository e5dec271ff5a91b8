using Atelier.Services.Accounts;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Atelier.Web.Api;

/// <summary>Register, login (bearer token or cookie), logout, me.</summary>
internal static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/accounts").WithTags("Accounts");
        g.MapPost("/register", Register).WithName("Register").WithSummary("Create a customer account").AllowAnonymous()
            .RequireRateLimiting(ApiSecurity.LoginRateLimit);
        g.MapPost("/login", Login).WithName("Login")
            .WithSummary("Sign in: returns a bearer token, or sets the auth cookie with ?useCookies=true").AllowAnonymous()
            .RequireRateLimiting(ApiSecurity.LoginRateLimit);
        g.MapPost("/logout", Logout).WithName("Logout").WithSummary("Clear the auth cookie").RequireAuthorization();
        g.MapGet("/me", Me).WithName("Me").WithSummary("The signed-in user").RequireAuthorization();
        return app;
    }

    public static async Task<Results<Created<UserInfo>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterRequest body, AccountService accounts, IOptions<AccountOptions> options, CancellationToken ct)
    {
        var v = AccountService.ValidateCredentials(body.Email, body.Password, options.Value.MinPasswordLength)
            .Require(body.FullName is null || body.FullName.Trim().Length is >= 1 and <= 200, "fullName", "1 to 200 characters");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var user = await accounts.RegisterAsync(body.Email!, body.Password!, body.FullName?.Trim() ?? body.Email!.Trim(), ct);
        if (user is null)
            return TypedResults.Problem(statusCode: 409, title: "Email taken", detail: "an account with this email already exists");
        if (body.SessionId is { } sid) await accounts.MergeSessionAsync(sid, user.CustomerId!.Value, ct);
        return TypedResults.Created("/api/accounts/me", user);
    }

    public static async Task<Results<SignInHttpResult, ValidationProblem, ProblemHttpResult>> Login(
        LoginRequest body, AccountService accounts, CancellationToken ct, bool useCookies = false)
    {
        var v = new Services.Api.Validation()
            .Require(!string.IsNullOrWhiteSpace(body.Email) && body.Email.Length <= 254, "email", "required")
            .Require(!string.IsNullOrEmpty(body.Password) && body.Password.Length <= 200, "password", "required");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var result = await accounts.LoginAsync(body.Email!, body.Password!, body.SessionId, ct);
        return result.Status switch
        {
            LoginStatus.Ok => useCookies
                ? TypedResults.SignIn(ApiSecurity.Principal(result.User!, CookieAuthenticationDefaults.AuthenticationScheme), authenticationScheme: CookieAuthenticationDefaults.AuthenticationScheme)
                : TypedResults.SignIn(ApiSecurity.Principal(result.User!, BearerTokenDefaults.AuthenticationScheme), authenticationScheme: BearerTokenDefaults.AuthenticationScheme),
            LoginStatus.LockedOut => TypedResults.Problem(statusCode: 423, title: "Account locked",
                detail: $"too many failed sign-ins: try again after {result.LockedUntil:u}"),
            _ => TypedResults.Problem(statusCode: 401, title: "Sign-in failed", detail: "unknown email or wrong password"),
        };
    }

    public static Task<SignOutHttpResult> Logout(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(TypedResults.SignOut(authenticationSchemes: [CookieAuthenticationDefaults.AuthenticationScheme]));
    }

    public static async Task<Results<Ok<UserInfo>, NotFound>> Me(System.Security.Claims.ClaimsPrincipal user, AccountService accounts, CancellationToken ct) =>
        await accounts.FindAsync(user.UserId(), ct) is { } u ? TypedResults.Ok(u) : TypedResults.NotFound();
}
