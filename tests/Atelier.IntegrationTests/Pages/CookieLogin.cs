using System.Net;
using System.Text.RegularExpressions;
using Atelier.IntegrationTests.Api;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Atelier.IntegrationTests.Pages;

/// <summary>Signing in through the login form as a browser does: antiforgery token from the form, then the auth cookie.</summary>
internal static partial class CookieLogin
{
    public static async Task<HttpClient> SignInAsync(ApiHost api, string email, string? returnUrl, CancellationToken ct)
    {
        var client = api.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await PostLoginAsync(client, email, ApiHost.Password, returnUrl, ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password, string? returnUrl, CancellationToken ct)
    {
        var form = await client.GetStringAsync("/account/login", ct);
        var fields = new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = password, ["ReturnUrl"] = returnUrl ?? "", ["__RequestVerificationToken"] = Token(form),
        };
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(fields), ct);
    }

    public static string Token(string html) => AntiforgeryToken().Match(html).Groups[1].Value;

    /// <summary>A form post as the browser sends it from <paramref name="page"/>: the fields and the page's antiforgery token.</summary>
    public static FormUrlEncodedContent Form(string page, params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)).Append(KeyValuePair.Create("__RequestVerificationToken", Token(page))));

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
