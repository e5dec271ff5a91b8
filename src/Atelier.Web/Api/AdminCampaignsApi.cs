using Atelier.Services.Accounts;
using Atelier.Services.Admin;
using Atelier.Services.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atelier.Web.Api;

/// <summary>Campaigns, influencers and campaign summaries (sellers and admins; deleting needs an admin).</summary>
internal static class AdminCampaignsApi
{
    public static IEndpointRouteBuilder MapAdminCampaignsApi(this IEndpointRouteBuilder app)
    {
        var c = app.MapGroup("/api/admin/campaigns").WithTags("Admin").RequireAuthorization(AtelierRoles.StaffPolicy);
        c.MapGet("/", ListCampaigns).WithName("ListCampaigns").WithSummary("All campaigns, newest first");
        c.MapGet("/{campaignId:long}", GetCampaign).WithName("GetCampaign").WithSummary("One campaign with its influencers");
        c.MapPost("/", CreateCampaign).WithName("CreateCampaign").WithSummary("Create a campaign");
        c.MapPut("/{campaignId:long}", UpdateCampaign).WithName("UpdateCampaign").WithSummary("Replace a campaign's fields");
        c.MapDelete("/{campaignId:long}", DeleteCampaign).WithName("DeleteCampaign").WithSummary("Delete a campaign (admin)")
            .RequireAuthorization(AtelierRoles.AdminPolicy);
        c.MapGet("/{campaignId:long}/summary", CampaignSummary).WithName("CampaignSummary").WithSummary("Spend, reach, attributed and window revenue");
        c.MapPut("/{campaignId:long}/influencers/{influencerId:long}", LinkInfluencer).WithName("LinkInfluencer").WithSummary("Engage an influencer");
        c.MapDelete("/{campaignId:long}/influencers/{influencerId:long}", UnlinkInfluencer).WithName("UnlinkInfluencer").WithSummary("Remove an influencer");

        var i = app.MapGroup("/api/admin/influencers").WithTags("Admin").RequireAuthorization(AtelierRoles.StaffPolicy);
        i.MapGet("/", ListInfluencers).WithName("ListInfluencers").WithSummary("All influencers");
        i.MapGet("/{influencerId:long}", GetInfluencer).WithName("GetInfluencer").WithSummary("One influencer");
        i.MapPost("/", CreateInfluencer).WithName("CreateInfluencer").WithSummary("Add an influencer");
        i.MapPut("/{influencerId:long}", UpdateInfluencer).WithName("UpdateInfluencer").WithSummary("Replace an influencer's fields");
        i.MapDelete("/{influencerId:long}", DeleteInfluencer).WithName("DeleteInfluencer").WithSummary("Delete an influencer (admin)")
            .RequireAuthorization(AtelierRoles.AdminPolicy);
        return app;
    }

    private static Validation Validate(CampaignRequest b) => new Validation()
        .Require(b.Name is { Length: >= 1 and <= 200 }, "name", "1-200 characters")
        .Require(b.Kind is not null && CampaignAdmin.Kinds.Contains(b.Kind), "kind", $"one of: {string.Join(", ", CampaignAdmin.Kinds)}")
        .Require(b.StartsAt is not null, "startsAt", "required")
        .Require(b.EndsAt is not null && (b.StartsAt is null || b.EndsAt > b.StartsAt), "endsAt", "required, after startsAt")
        .Require(b.Budget is null or >= 0 and < 1_000_000_000_000m, "budget", "0 or more")
        .Require(b.DiscountPct is null or > 0 and < 100, "discountPct", "between 0 and 100 (exclusive)");

    private static Validation Validate(InfluencerRequest b) => new Validation()
        .Require(b.Handle is { Length: >= 1 and <= 100 }, "handle", "1-100 characters")
        .Require(b.Name is { Length: >= 1 and <= 200 }, "name", "1-200 characters")
        .Require(b.Platform is not null && CampaignAdmin.Platforms.Contains(b.Platform), "platform", $"one of: {string.Join(", ", CampaignAdmin.Platforms)}")
        .Require(b.Followers is >= 0, "followers", "required, 0 or more");

    public static async Task<Ok<IReadOnlyList<CampaignDto>>> ListCampaigns(CampaignAdmin campaigns, CancellationToken ct) =>
        TypedResults.Ok(await campaigns.ListAsync(ct));

    public static async Task<Results<Ok<CampaignDto>, NotFound>> GetCampaign(long campaignId, CampaignAdmin campaigns, CancellationToken ct) =>
        await campaigns.GetAsync(campaignId, ct) is { } c ? TypedResults.Ok(c) : TypedResults.NotFound();

    public static async Task<Results<Created<CampaignDto>, ValidationProblem>> CreateCampaign(CampaignRequest body, CampaignAdmin campaigns, CancellationToken ct)
    {
        var v = Validate(body);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var c = (await campaigns.SaveAsync(null, body, ct))!;
        return TypedResults.Created($"/api/admin/campaigns/{c.CampaignId}", c);
    }

    public static async Task<Results<Ok<CampaignDto>, NotFound, ValidationProblem>> UpdateCampaign(long campaignId, CampaignRequest body, CampaignAdmin campaigns, CancellationToken ct)
    {
        var v = Validate(body);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        return await campaigns.SaveAsync(campaignId, body, ct) is { } c ? TypedResults.Ok(c) : TypedResults.NotFound();
    }

    public static async Task<Results<NoContent, NotFound>> DeleteCampaign(long campaignId, CampaignAdmin campaigns, CancellationToken ct) =>
        await campaigns.DeleteAsync(campaignId, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    public static async Task<Results<Ok<CampaignSummaryDto>, NotFound>> CampaignSummary(long campaignId, CampaignAdmin campaigns, CancellationToken ct) =>
        await campaigns.SummaryAsync(campaignId, ct) is { } s ? TypedResults.Ok(s) : TypedResults.NotFound();

    public static async Task<Results<Ok<CampaignDto>, NotFound, ValidationProblem>> LinkInfluencer(long campaignId, long influencerId,
        CampaignInfluencerRequest body, CampaignAdmin campaigns, CancellationToken ct)
    {
        var v = new Validation()
            .Require(body.Fee is >= 0 and < 1_000_000_000_000m, "fee", "required, 0 or more")
            .Require(body.Posts is null or >= 1 and <= 10_000, "posts", "between 1 and 10000");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        if (!await campaigns.LinkInfluencerAsync(campaignId, influencerId, body.Fee!.Value, body.Posts ?? 1, ct)) return TypedResults.NotFound();
        return TypedResults.Ok((await campaigns.GetAsync(campaignId, ct))!);
    }

    public static async Task<Results<NoContent, NotFound>> UnlinkInfluencer(long campaignId, long influencerId, CampaignAdmin campaigns, CancellationToken ct) =>
        await campaigns.UnlinkInfluencerAsync(campaignId, influencerId, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    public static async Task<Ok<IReadOnlyList<InfluencerDto>>> ListInfluencers(CampaignAdmin campaigns, CancellationToken ct) =>
        TypedResults.Ok(await campaigns.InfluencersAsync(null, ct));

    public static async Task<Results<Ok<InfluencerDto>, NotFound>> GetInfluencer(long influencerId, CampaignAdmin campaigns, CancellationToken ct) =>
        (await campaigns.InfluencersAsync(influencerId, ct)) is [var i] ? TypedResults.Ok(i) : TypedResults.NotFound();

    public static async Task<Results<Created<InfluencerDto>, ValidationProblem>> CreateInfluencer(InfluencerRequest body, CampaignAdmin campaigns, CancellationToken ct)
    {
        var v = Validate(body);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var i = (await campaigns.SaveInfluencerAsync(null, body, ct))!;
        return TypedResults.Created($"/api/admin/influencers/{i.InfluencerId}", i);
    }

    public static async Task<Results<Ok<InfluencerDto>, NotFound, ValidationProblem>> UpdateInfluencer(long influencerId, InfluencerRequest body, CampaignAdmin campaigns, CancellationToken ct)
    {
        var v = Validate(body);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        return await campaigns.SaveInfluencerAsync(influencerId, body, ct) is { } i ? TypedResults.Ok(i) : TypedResults.NotFound();
    }

    public static async Task<Results<NoContent, NotFound>> DeleteInfluencer(long influencerId, CampaignAdmin campaigns, CancellationToken ct) =>
        await campaigns.DeleteInfluencerAsync(influencerId, ct) ? TypedResults.NoContent() : TypedResults.NotFound();
}
