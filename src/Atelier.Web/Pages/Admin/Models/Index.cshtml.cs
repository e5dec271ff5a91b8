using Atelier.Services.Accounts;
using Atelier.Services.Recommendations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Atelier.Web.Pages.Admin.Models;

/// <summary>
/// The recommender in the model registry, for staff: which version this server serves and which is in production, each
/// version's hold-out figures against the gate, the latest runs and the nightly batch. Admins can promote a version
/// through the gate, roll back to an archived one, or retrain now.
/// </summary>
[Authorize(Policy = AtelierRoles.StaffPolicy)]
public sealed class ModelsModel(RecsAdmin admin, RecsDrift drift, Atelier.Services.Models.ModelRegistry registry) : PageModel
{
    public RecsModelsDto Overview { get; private set; } = null!;
    public RecsDriftDto? Drift { get; private set; }
    public IReadOnlyList<Atelier.Services.Models.ModelRunInfo> DriftChecks { get; private set; } = [];
    public bool IsAdmin => User.IsInRole(AtelierRoles.Admin);

    /// <summary>The outcome of the last action, shown once after the redirect.</summary>
    [TempData] public string? Message { get; set; }
    [TempData] public bool MessageIsError { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Overview = await admin.OverviewAsync(ct);
        Drift = await drift.CurrentAsync(refresh: false, ct);
        DriftChecks = await registry.RunsAsync(RecsDrift.RunName, 7, ct);
    }

    /// <summary>A drift measure's value as staff read it: shares in percent, days to a tenth, the rest to four places.</summary>
    public static string DriftNumber(string measure, double? value) => value is not { } v ? "—"
        : v.ToString(measure.EndsWith("share", StringComparison.Ordinal) ? "P0" : measure.StartsWith("days", StringComparison.Ordinal) ? "0.0" : "0.0000",
            System.Globalization.CultureInfo.InvariantCulture);

    public static string DriftLabel(string measure) => measure switch
    {
        "days_since_training" => "Days since training",
        "unknown_article_share" => "Units of articles the model has never seen",
        "unknown_customer_share" => "Units bought by customers new since (they get the cold list)",
        "product_type_psi" => "Product-type mix, PSI against the 28 days before",
        "price_psi" => "Prices paid, PSI over the reference deciles",
        "live_map_at_12" => "Live MAP@12 (threshold: half the hold-out's)",
        "live_popularity_map_at_12" => "Live MAP@12 of the best sellers",
        _ => measure,
    };

    public async Task<IActionResult> OnPostPromoteAsync(int version, bool force, CancellationToken ct)
    {
        if (!IsAdmin) return Forbid();
        var result = await admin.PromoteAsync(version, force, User.FindFirst(System.Security.Claims.ClaimTypes.Email)?.Value, ct);
        (Message, MessageIsError) = result switch
        {
            null => ($"v{version} does not exist.", true),
            { Promoted: true } => ($"v{version} is in production ({result.Reason}). Servers load it within seconds.", false),
            _ => ($"v{version} was not promoted: {result.Reason}.", true),
        };
        return RedirectToPage();
    }

    public IActionResult OnPostRetrain()
    {
        if (!IsAdmin) return Forbid();
        (Message, MessageIsError) = admin.StartRetraining()
            ? ("Retraining started. It appears under Runs; a version that passes the gate is served here when it finishes.", false)
            : ("A retraining is already running on this server.", true);
        return RedirectToPage();
    }

    public static string Metric(IReadOnlyDictionary<string, double> metrics, string key, string format = "0.0000") =>
        metrics.TryGetValue(key, out var v) ? v.ToString(format, System.Globalization.CultureInfo.InvariantCulture) : "—";

    public static string Size(long bytes) => bytes switch
    {
        >= 1 << 30 => $"{bytes / (double)(1 << 30):0.0} GB",
        >= 1 << 20 => $"{bytes / (double)(1 << 20):0.0} MB",
        >= 1 << 10 => $"{bytes / 1024.0:0} kB",
        _ => $"{bytes} B",
    };

    public static string Duration(DateTimeOffset start, DateTimeOffset? end) =>
        end is { } e ? (e - start).TotalSeconds is var s && s < 120 ? $"{s:0.0} s" : $"{s / 60:0.0} min" : "running";
}
