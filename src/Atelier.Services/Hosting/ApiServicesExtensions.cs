using Atelier.Services.Accounts;
using Atelier.Services.Admin;
using Atelier.Services.Catalog;
using Atelier.Services.Events;
using Atelier.Services.Orders;
using Atelier.Services.Reviews;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Atelier.Services.Hosting;

/// <summary>Services behind the HTTP API (stateless singletons over the shared NpgsqlDataSource).</summary>
public static class ApiServicesExtensions
{
    public static IHostApplicationBuilder AddAtelierApiServices(this IHostApplicationBuilder builder)
    {
        var s = builder.Services;
        s.AddOptions<AccountOptions>().BindConfiguration("Atelier:Accounts")
            .Validate(o => o.MaxFailedLogins > 0 && o.LockoutMinutes > 0 && o.MinPasswordLength >= 8, "Atelier:Accounts needs positive limits and passwords of 8+ characters")
            .ValidateOnStart();
        s.AddOptions<OrderOptions>().BindConfiguration("Atelier:Orders")
            .Validate(o => o.CancelWindowMinutes >= 0 && o.MaxItems > 0 && o.MaxQuantity > 0, "Atelier:Orders limits must be positive")
            .ValidateOnStart();
        // PBKDF2 work factor: the library default unless configured (tests lower it to stay fast).
        s.AddOptions<PasswordHasherOptions>().BindConfiguration("Atelier:Accounts:PasswordHasher");
        s.AddSingleton<IPasswordHasher<AccountCredential>, PasswordHasher<AccountCredential>>();
        s.AddSingleton<AccountService>();
        s.AddSingleton<ProductSearch>();
        s.AddSingleton<CatalogService>();
        s.AddSingleton<CartService>();
        s.AddSingleton<OrderService>();
        s.AddSingleton<ReviewService>();
        s.AddSingleton<EventIngest>();
        s.AddSingleton<ArticleAdmin>();
        s.AddSingleton<Reports>();
        s.AddSingleton<CampaignAdmin>();
        return builder;
    }
}
