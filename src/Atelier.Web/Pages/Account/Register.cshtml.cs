using Atelier.Services.Accounts;
using Atelier.Web.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Atelier.Web.Pages.Account;

/// <summary>
/// A shopper creates their customer account (the same rules as <c>POST /api/accounts/register</c>) and is signed in with
/// the cookie straight away, back where they came from.
/// </summary>
[EnableRateLimiting(ApiSecurity.LoginRateLimit)]
public sealed class RegisterModel(AccountService accounts, IOptions<AccountOptions> options) : PageModel
{
    [BindProperty] public string? FullName { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();
    public int MinPasswordLength => options.Value.MinPasswordLength;

    public string? ErrorFor(string field) => Errors.TryGetValue(field, out var e) ? string.Join(" ", e) : null;

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? LocalRedirect("/") : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var v = AccountService.ValidateCredentials(Email, Password, MinPasswordLength)
            .Require(FullName is not null && FullName.Trim().Length is >= 1 and <= 200, "fullName", "your name, 1 to 200 characters");
        if (!v.IsValid)
        {
            Errors = v.Errors;
            return Page();
        }
        var user = await accounts.RegisterAsync(Email!.Trim(), Password!, FullName!.Trim(), ct);
        if (user is null)
        {
            Errors = new Dictionary<string, string[]> { ["email"] = ["an account with this email already exists: sign in instead"] };
            return Page();
        }
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            ApiSecurity.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
