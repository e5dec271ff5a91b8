using Atelier.Services.Accounts;
using Atelier.Web.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Atelier.Web.Pages.Account;

/// <summary>Cookie sign-in for the web UI: the same account service, lockout and rate limit as <c>POST /api/accounts/login</c>.</summary>
[EnableRateLimiting(ApiSecurity.LoginRateLimit)]
public sealed class LoginModel(AccountService accounts) : PageModel
{
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Email) || Email.Length > 254 || string.IsNullOrEmpty(Password) || Password.Length > 200)
        {
            Error = "Enter your email and password.";
            return Page();
        }
        var result = await accounts.LoginAsync(Email, Password, null, ct);
        switch (result.Status)
        {
            case LoginStatus.Ok:
                await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
                    ApiSecurity.Principal(result.User!, CookieAuthenticationDefaults.AuthenticationScheme));
                var fallback = result.User!.Role is AtelierRoles.Seller or AtelierRoles.Admin ? "/admin" : "/";
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : fallback);
            case LoginStatus.LockedOut:
                Error = $"Too many failed sign-ins: try again after {result.LockedUntil:HH:mm} UTC.";
                return Page();
            default:
                Error = "Unknown email or wrong password.";
                return Page();
        }
    }

    public async Task<IActionResult> OnPostLogoutAsync()
    {
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return LocalRedirect("/");
    }
}
