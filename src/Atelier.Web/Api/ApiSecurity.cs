using System.Security.Claims;
using System.Threading.RateLimiting;
using Atelier.Services.Accounts;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.RateLimiting;

namespace Atelier.Web.Api;

/// <summary>
/// Authentication (bearer tokens for API clients, a cookie for the web UI, chosen per request by the
/// Authorization header), role policies, and the login rate limiter.
/// </summary>
internal static class ApiSecurity
{
    public const string SmartScheme = "bearer-or-cookie";
    public const string LoginRateLimit = "login";

    public static IServiceCollection AddAtelierSecurity(this IServiceCollection services, IConfiguration config)
    {
        services.AddAuthentication(SmartScheme)
            .AddPolicyScheme(SmartScheme, "Bearer token or cookie", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? BearerTokenDefaults.AuthenticationScheme
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddBearerToken(o =>
            {
                o.BearerTokenExpiration = TimeSpan.FromHours(1);
                o.RefreshTokenExpiration = TimeSpan.FromDays(7);
            })
            .AddCookie(o =>
            {
                o.Cookie.Name = "atelier_auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict; // no cross-site requests carry it: the CSRF defence
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromDays(7);
                o.SlidingExpiration = true;
                o.LoginPath = "/account/login";
                o.AccessDeniedPath = "/account/denied";
                // An API answers 401/403; only pages redirect to the sign-in page.
                o.Events.OnRedirectToLogin = ctx => Challenge(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => Challenge(ctx, StatusCodes.Status403Forbidden);
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(AtelierRoles.CustomerPolicy, p => p.RequireRole(AtelierRoles.Customer).RequireClaim(AtelierRoles.CustomerIdClaim))
            .AddPolicy(AtelierRoles.StaffPolicy, p => p.RequireRole(AtelierRoles.Seller, AtelierRoles.Admin))
            .AddPolicy(AtelierRoles.AdminPolicy, p => p.RequireRole(AtelierRoles.Admin));

        var permits = config.GetValue("Atelier:Api:LoginPermitsPerMinute", 10);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (ctx, ct) =>
            {
                ctx.HttpContext.Response.Headers.RetryAfter = "60";
                await ctx.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = ctx.HttpContext,
                    ProblemDetails = { Status = 429, Title = "Too many requests", Detail = $"at most {permits} login or registration attempts per minute from one address" },
                });
            };
            // Per client address; account lockout separately limits guessing against one account from many addresses.
            o.AddPolicy(LoginRateLimit, ctx => RateLimitPartition.GetFixedWindowLimiter(
                ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        return services;
    }

    private static Task Challenge(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx, int apiStatus)
    {
        if (ctx.Request.Path.StartsWithSegments("/api")) ctx.Response.StatusCode = apiStatus;
        else ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    public static ClaimsPrincipal Principal(UserInfo user, string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(ClaimTypes.Email, user.Email),
            new(ClaimTypes.Role, user.Role),
        };
        if (user.CustomerId is { } c) claims.Add(new(AtelierRoles.CustomerIdClaim, c.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    public static long UserId(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The customer id of a user who passed the customer policy.</summary>
    public static long CustomerId(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(AtelierRoles.CustomerIdClaim)!, System.Globalization.CultureInfo.InvariantCulture);

    public static long? CustomerIdOrNull(this ClaimsPrincipal user) =>
        user.FindFirstValue(AtelierRoles.CustomerIdClaim) is { } s ? long.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : null;
}
