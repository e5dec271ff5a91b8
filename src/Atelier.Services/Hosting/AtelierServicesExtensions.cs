using Atelier.Data.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Atelier.Services.Hosting;

public static class AtelierServicesExtensions
{
    /// <summary>
    /// Wires the data layer and the feature services shared by the web app and the CLI. The database comes from
    /// <c>ATELIER_DB</c> or <c>ConnectionStrings:Atelier</c>; a missing one fails at start with a clear message.
    /// </summary>
    public static IHostApplicationBuilder AddAtelierServices(this IHostApplicationBuilder builder)
    {
        var target = DatabaseTarget.Resolve(builder.Configuration);
        var connectionString = target.ConfiguredConnectionString ?? throw new InvalidOperationException(
            "no database configured: set ConnectionStrings:Atelier or ATELIER_DB (./atelier up does this for you)");
        builder.Services.AddSingleton(_ =>
        {
            var dsb = new NpgsqlDataSourceBuilder(connectionString);
            return dsb.Build();
        });
        builder.Services.AddSingleton<Catalog.CatalogQueries>().AddSingleton<Insights.InsightQueries>();
        builder.Services.AddSingleton<Models.ModelRegistry>();
        builder.Services.AddSingleton<Recommendations.RecentViews>(sp => new Recommendations.RecentViews(sp.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.AddSingleton<Recommendations.RecommendationService>();
        builder.Services.AddSingleton<Recommendations.RecsTrainer>();
        builder.Services.AddSingleton<Recommendations.RecsBatchWriter>();
        builder.Services.AddSingleton<Forecasting.ForecastService>().AddSingleton<Forecasting.InventoryPlanner>().AddSingleton<Forecasting.TrendService>();
        builder.AddAtelierApiServices();
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", HealthStatus.Unhealthy, ["ready"])
            .AddCheck<Recommendations.RecommenderHealthCheck>("recommender", HealthStatus.Degraded, ["ready"]);
        return builder;
    }
}
