using System.Net;
using System.Net.Http.Json;
using Atelier.IntegrationTests.Infrastructure;

namespace Atelier.IntegrationTests.Api;

public sealed class AccountsApiTests(PostgresFixture pg) : IDisposable
{
    private readonly ApiHost _api = new(pg);

    [Fact]
    public async Task RegisterThenCookieLoginMeAndLogout()
    {
        var ct = TestContext.Current.CancellationToken;
        var email = $"Ada.{Guid.NewGuid():N}@Example.test";
        using var client = _api.Factory.CreateClient(); // keeps cookies, like a browser
        using (var reg = await client.PostAsJsonAsync("/api/accounts/register", new { email, password = "a long passphrase", fullName = "Ada L" }, ct))
            Assert.Equal(HttpStatusCode.Created, reg.StatusCode);
        using (var dup = await client.PostAsJsonAsync("/api/accounts/register", new { email, password = "a long passphrase" }, ct))
            await ApiHost.AssertProblemAsync(dup, 409);
        var hash = await new StoreBuilder(pg.DataSource).ScalarAsync<string>("SELECT password_hash FROM app_user WHERE email = @e", ("e", email.ToLowerInvariant()));
        Assert.DoesNotContain("passphrase", hash);

        using (var login = await client.PostAsJsonAsync("/api/accounts/login?useCookies=true", new { email, password = "a long passphrase" }, ct))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("atelier_auth=", StringComparison.Ordinal));
            Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        }
        using (var me = await client.GetAsync("/api/accounts/me", ct))
        {
            var body = await ApiHost.JsonAsync(me);
            Assert.Equal(email.ToLowerInvariant(), body.GetProperty("email").GetString());
            Assert.Equal("customer", body.GetProperty("role").GetString());
        }
        using (var logout = await client.PostAsync("/api/accounts/logout", null, ct))
            Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        using (var after = await client.GetAsync("/api/accounts/me", ct))
            await ApiHost.AssertProblemAsync(after, 401);
    }

    [Fact]
    public async Task RepeatedFailuresLockTheAccountEvenForTheRightPassword()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = await _api.UserAsync(new StoreBuilder(pg.DataSource));
        using var client = _api.Anonymous();
        for (var i = 0; i < 4; i++)
        {
            using var bad = await client.PostAsJsonAsync("/api/accounts/login", new { email = user.Email, password = "wrong password!" }, ct);
            await ApiHost.AssertProblemAsync(bad, 401);
        }
        using (var fifth = await client.PostAsJsonAsync("/api/accounts/login", new { email = user.Email, password = "wrong password!" }, ct))
            await ApiHost.AssertProblemAsync(fifth, 423);
        using (var right = await client.PostAsJsonAsync("/api/accounts/login", new { email = user.Email, password = user.Password }, ct))
            await ApiHost.AssertProblemAsync(right, 423);
        using (var unknown = await client.PostAsJsonAsync("/api/accounts/login", new { email = "nobody@example.test", password = "whatever it is" }, ct))
            await ApiHost.AssertProblemAsync(unknown, 401);
    }

    [Fact]
    public async Task LoginIsRateLimitedPerClient()
    {
        var ct = TestContext.Current.CancellationToken;
        using var limited = new ApiHost(pg, loginPermitsPerMinute: 3);
        using var client = limited.Anonymous();
        var statuses = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            using var r = await client.PostAsJsonAsync("/api/accounts/login", new { email = "nobody@example.test", password = "whatever it is" }, ct);
            statuses.Add((int)r.StatusCode);
            if (r.StatusCode == HttpStatusCode.TooManyRequests) await ApiHost.AssertProblemAsync(r, 429);
        }
        Assert.Equal([401, 401, 401, 429, 429], statuses);
    }

    public void Dispose() => _api.Dispose();
}
