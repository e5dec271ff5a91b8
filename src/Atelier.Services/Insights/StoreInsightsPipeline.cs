using System.Diagnostics;
using System.Globalization;
using Atelier.Services.Customers;
using Atelier.Services.Forecasting;
using Atelier.Services.Models;
using Atelier.Services.Reviews;
using Npgsql;

namespace Atelier.Services.Insights;

/// <summary>What one step of <see cref="StoreInsightsPipeline"/> did; <see cref="Error"/> is null when it succeeded.</summary>
public sealed record InsightStepResult(string Step, long RunId, string Summary, string? Error, double Seconds)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// The store's analyses in one run, each tracked as a run in the model registry (<c>model_run</c>): customers (RFM,
/// segments, churn, CLV), reviews (sentiment, aspects, size advice) and the weekly demand forecast (articles, summed
/// bottom-up to products, product types and the total: the reorder plan reads the article level). A step that fails is
/// recorded as a failed run with its error and the others still run, so one bad input does not leave every page stale.
/// Run by <c>atelier up</c> when a store has never been analysed, and nightly by <see cref="NightlyInsights"/>.
/// </summary>
public sealed class StoreInsightsPipeline(NpgsqlDataSource db)
{
    public const string CustomersStep = "customer-insights";
    public const string ReviewsStep = "review-insights";
    public const string ForecastStep = "demand-forecast";
    public const int ForecastHorizonWeeks = 12;

    /// <summary>Whether none of the analyses has ever been stored (a new or freshly imported store).</summary>
    public async Task<bool> NeverRunAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT NOT (EXISTS (SELECT 1 FROM customer_insight) OR EXISTS (SELECT 1 FROM review_insight)
                     OR EXISTS (SELECT 1 FROM forecast_run WHERE level = 'article'))
            """);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task<IReadOnlyList<InsightStepResult>> RunAsync(CancellationToken ct)
    {
        var registry = new ModelRegistry(db);
        var inv = CultureInfo.InvariantCulture;
        return
        [
            await StepAsync(registry, CustomersStep, async () =>
            {
                var s = await new CustomerInsightService(db).AnalyzeAsync(ct);
                var metrics = new Dictionary<string, double> { ["customers"] = s.Customers };
                if (s.K is { } k) metrics["k"] = k;
                if (s.Silhouette is { } sil) metrics["silhouette"] = sil;
                if (s.Churn.OutOfFoldAuroc is { } auc) metrics["churn_auroc"] = auc;
                var churn = s.Churn.OutOfFoldAuroc is { } a ? $"churn AUROC {a.ToString("0.000", inv)}" : "churn: " + s.Churn.Note;
                return (metrics, $"{s.Customers} customers, {s.RfmGroups.Count} RFM groups, k = {s.K?.ToString(inv) ?? "-"}, {churn}");
            }, ct),
            await StepAsync(registry, ReviewsStep, async () =>
            {
                var s = await new ReviewInsightService(db).AnalyzeAsync(ct);
                var metrics = new Dictionary<string, double> { ["reviews"] = s.Reviews, ["products"] = s.Products, ["products_with_advice"] = s.ProductsWithAdvice };
                return (metrics, $"{s.Reviews} reviews of {s.Products} products, {s.ProductsWithAdvice} with size advice");
            }, ct),
            await StepAsync(registry, ForecastStep, async () =>
            {
                var runs = await new ForecastService(db).RunAsync("article", "weekly", ForecastHorizonWeeks, reconcile: true, asOfUtc: null, ct);
                var articles = runs.First(r => r.Level == "article");
                var metrics = new Dictionary<string, double> { ["article_series"] = articles.Series, ["horizon_weeks"] = ForecastHorizonWeeks };
                return (metrics, $"{articles.Series} articles × {ForecastHorizonWeeks} weeks from {articles.Origin:yyyy-MM-dd}, reconciled to {runs.Count - 1} levels");
            }, ct),
        ];
    }

    private static async Task<InsightStepResult> StepAsync(ModelRegistry registry, string step,
        Func<Task<(Dictionary<string, double> Metrics, string Summary)>> body, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var runId = await registry.StartRunAsync(step, new { }, null, ct);
        try
        {
            var (metrics, summary) = await body();
            await registry.FinishRunAsync(runId, metrics, null, ct);
            return new InsightStepResult(step, runId, summary, null, sw.Elapsed.TotalSeconds);
        }
        catch (OperationCanceledException)
        {
            await registry.FinishRunAsync(runId, new Dictionary<string, double>(), "cancelled: the server stopped", CancellationToken.None);
            throw;
        }
        catch (Exception ex)
        {
            // InvalidOperationException is how the services say "nothing to analyse" (no sales, no reviews): a sentence.
            var error = ex is InvalidOperationException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
            await registry.FinishRunAsync(runId, new Dictionary<string, double>(), error, CancellationToken.None);
            return new InsightStepResult(step, runId, "", error, sw.Elapsed.TotalSeconds);
        }
    }
}
