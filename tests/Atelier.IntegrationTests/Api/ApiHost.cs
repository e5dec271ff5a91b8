using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Atelier.IntegrationTests.Infrastructure;
using Atelier.Services.Accounts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace Atelier.IntegrationTests.Api;

/// <summary>A user created for one test, with an HTTP client that carries their bearer token.</summary>
public sealed record ApiUser(long UserId, long? CustomerId, string Email, string Password, HttpClient Client);

/// <summary>
/// The web app for API tests: generous login rate limit and a cheap password hash so tests stay fast
/// (the rate limit and the real work factor have their own tests/defaults).
/// </summary>
public sealed class ApiHost : IDisposable
{
    public const string Password = "correct horse battery";
    private static readonly PasswordHasher<AccountCredential> CheapHasher =
        new(Options.Create(new PasswordHasherOptions { IterationCount = 1000 }));
    private static readonly Lazy<string> PasswordHash = new(() => CheapHasher.HashPassword(new AccountCredential(), Password));
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly AtelierWebFactory _root;

    public ApiHost(PostgresFixture pg, int loginPermitsPerMinute = 100_000)
    {
        Pg = pg;
        _root = new AtelierWebFactory(pg);
        Factory = _root.WithWebHostBuilder(b => b
            .UseSetting("Atelier:Api:LoginPermitsPerMinute", loginPermitsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UseSetting("Atelier:Accounts:PasswordHasher:IterationCount", "1000"));
    }

    public PostgresFixture Pg { get; }
    public WebApplicationFactory<Program> Factory { get; }

    public HttpClient Anonymous() => Factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

    /// <summary>Creates a user directly in the database and signs in through the API (bearer token).</summary>
    /// <param name="customerId">An existing customer to sign in as (customer role only); default: a new one.</param>
    public async Task<ApiUser> UserAsync(StoreBuilder store, string role = AtelierRoles.Customer, long? customerId = null)
    {
        var email = $"{role}-{Guid.NewGuid():N}@example.test";
        long? customer = role == AtelierRoles.Customer ? customerId ?? await store.CustomerAsync() : null;
        var userId = await store.ScalarAsync<long>(
            "INSERT INTO app_user (email, password_hash, role, customer_id) VALUES (@e, @h, @r, @c) RETURNING user_id",
            ("e", email), ("h", PasswordHash.Value), ("r", role), ("c", customer));
        var client = Anonymous();
        var token = await LoginAsync(client, email, Password);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new ApiUser(userId, customer, email, Password, client);
    }

    public static async Task<string> LoginAsync(HttpClient client, string email, string password)
    {
        using var response = await client.PostAsJsonAsync("/api/accounts/login", new { email, password }, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return doc.RootElement.GetProperty("accessToken").GetString()!;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var doc = JsonDocument.Parse(text.Length == 0 ? "null" : text);
        return doc.RootElement.Clone();
    }

    /// <summary>Asserts a ProblemDetails body with the given status (and, optionally, an error for a field).</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int status, string? field = null)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement.Clone();
        Assert.Equal(status, root.GetProperty("status").GetInt32());
        if (field is not null)
            Assert.True(root.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), $"no error for '{field}' in {body}");
        return root;
    }

    public void Dispose()
    {
        Factory.Dispose();
        _root.Dispose();
    }
}
