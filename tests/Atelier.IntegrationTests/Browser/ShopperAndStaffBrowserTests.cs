using Atelier.IntegrationTests.Api;
using Atelier.IntegrationTests.Infrastructure;
using Atelier.Services.Accounts;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Atelier.IntegrationTests.Browser;

/// <summary>
/// Debian's Chromium, driven by Playwright, against the real app on a loopback Kestrel port: a shopper searches and
/// opens a product; a seller signs in through the form and lands on the dashboard.
/// </summary>
public sealed class ShopperAndStaffBrowserTests(PostgresFixture pg) : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly ApiHost _api = new(pg);

    [Fact]
    public async Task ShopperSearchesBuysAProductAndASellerSignsInToTheDashboard()
    {
        if (!File.Exists(Chromium))
        {
            // CI installs it (.ci/run), so there a missing browser is a failure, not a skip.
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"{Chromium} is missing on CI");
            Assert.Skip($"{Chromium} not found: apt-get install chromium to run the browser tests");
        }
        var store = new StoreBuilder(pg.DataSource);
        var name = $"Wrap dress {store.Tag}";
        var product = await store.ProductAsync(await store.CategoryAsync(), await store.ProductTypeAsync(), name);
        await store.ArticleAsync(product, 59.95m, stock: 4, size: "S");
        await store.ArticleAsync(product, 59.95m, stock: 0, size: "L");
        var seller = await _api.UserAsync(store, AtelierRoles.Seller);
        var shopper = await _api.UserAsync(store);

        using var factory = new AtelierWebFactory(pg);
        factory.UseKestrel(0); // a free loopback port, chosen by the OS
        factory.StartServer();
        var baseUrl = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => a.Replace("localhost", "127.0.0.1", StringComparison.Ordinal)).First(a => a.StartsWith("http://", StringComparison.Ordinal));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // No network beyond loopback here: keep Chromium from trying to reach its update and sync services.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseUrl });
        // Generous: the suite runs in parallel on 2 cores with the real-data imports, and the dashboard reads every sale.
        // This test checks what the pages do, not how fast (speed is measured by the bench commands).
        page.SetDefaultTimeout(90_000);
        page.SetDefaultNavigationTimeout(90_000);

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search" }).FillAsync(store.Tag);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.WaitForURLAsync($"**/?q={store.Tag}*");
        await page.GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
        await page.WaitForURLAsync($"**/products/{product}");
        Assert.Equal(name, await page.Locator("h1").InnerTextAsync());
        Assert.Equal(2, await page.Locator("#variants tbody tr").CountAsync());
        Assert.Equal(1, await page.Locator("#variants tr.soldout").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "atelier-product.png"), FullPage = true });

        // Buying needs an account: sign in from the product page, come back to it, put the size in stock in the bag, order.
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in to buy" }).ClickAsync();
        await page.GetByLabel("Email").FillAsync(shopper.Email);
        await page.GetByLabel("Password").FillAsync(ApiHost.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync($"**/products/{product}");
        await page.Locator("#variants button", new() { HasText = "Add to bag" }).ClickAsync();
        await page.WaitForURLAsync("**/cart");
        Assert.Equal(1, await page.Locator("#cart tbody tr").CountAsync());
        Assert.Equal("59.95", await page.Locator("#cart-total").InnerTextAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
        await page.WaitForURLAsync("**/orders/*");
        Assert.Contains("paid", await page.Locator("#order-status").InnerTextAsync());
        Assert.Equal(3, await store.ScalarAsync<int>("SELECT stock FROM article WHERE product_id = @p AND size = 'S'", ("p", product)));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "atelier-order.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(baseUrl + "/");
        await page.GotoAsync($"/products/{product}");

        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.GetByLabel("Email").FillAsync(seller.Email);
        await page.GetByLabel("Password").FillAsync(ApiHost.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/admin");
        Assert.Equal("Dashboard", await page.Locator("h1").InnerTextAsync());
        Assert.Equal(4, await page.Locator("#kpis .tile").CountAsync());
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).IsVisibleAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "atelier-dashboard.png"), FullPage = true });

        // The recommender's registry page is one click away; a seller reads it but gets no buttons.
        await page.GetByRole(AriaRole.Link, new() { Name = "Models" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/models");
        Assert.Equal("Recommender models", await page.Locator("h1").InnerTextAsync());
        Assert.Equal(4, await page.Locator("#model-status .tile").CountAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Retrain now" }).CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "atelier-models.png"), FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(baseUrl + "/");
        Assert.True(await page.GetByRole(AriaRole.Link, new() { Name = "Sign in", Exact = true }).IsVisibleAsync());
    }

    public void Dispose() => _api.Dispose();
}
