using Atelier.Services.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Atelier.Web.Api;

public sealed record CreateUserRequest(string? Email, string? Password, string? Role);

/// <summary>Staff accounts (admins only).</summary>
internal static class AdminUsersApi
{
    public static IEndpointRouteBuilder MapAdminUsersApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/admin/users").WithTags("Admin").RequireAuthorization(AtelierRoles.AdminPolicy)
            .MapPost("/", CreateUser).WithName("CreateUser").WithSummary("Create a user of any role (admin)");
        return app;
    }

    public static async Task<Results<Created<UserInfo>, ValidationProblem>> CreateUser(CreateUserRequest body, AccountService accounts,
        IOptions<AccountOptions> options, CancellationToken ct)
    {
        var v = AccountService.ValidateCredentials(body.Email, body.Password, options.Value.MinPasswordLength)
            .Require(body.Role is not null && AtelierRoles.All.Contains(body.Role), "role", "one of: customer, seller, admin");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var user = await accounts.CreateUserAsync(body.Email!, body.Password!, body.Role!, ct);
        return TypedResults.Created($"/api/admin/users/{user.UserId}", user);
    }
}
