namespace Atelier.Services.Admin;

public sealed record ArticleDto(long ArticleId, string ArticleCode, long ProductId, string ProductName, int? ColourId, string Size,
    decimal Price, int Stock, int ReorderLevel, bool IsActive);

public sealed record CreateArticleRequest(long? ProductId, string? ArticleCode, int? ColourId, string? Size, decimal? Price, int? Stock, int? ReorderLevel);

public sealed record UpdateArticleRequest(decimal? Price, int? ReorderLevel, bool? IsActive);

/// <summary>Exactly one of: an absolute stock level, or a delta (receipts positive, write-offs negative).</summary>
public sealed record StockRequest(int? Stock, int? Delta);

public sealed record TopSellerDto(long ProductId, string ProductCode, string Name, long UnitsSold, decimal Revenue, long Orders, long Rank);

public sealed record LowStockDto(long ArticleId, string ArticleCode, long ProductId, string ProductName, string? Colour, string Size,
    int Stock, int ReorderLevel, int Shortfall,
    double? ReorderPoint = null, double? StockoutProbability = null, int? SuggestedOrder = null); // from the latest weekly article forecast (14-day lead time, 95%)

public sealed record DailyRevenueDto(DateOnly Day, long Orders, long Units, decimal Revenue, long Customers);

public sealed record CategorySalesDto(DateOnly WeekStart, int CategoryId, string CategoryName, long Units, decimal Revenue);

public sealed record CampaignRequest(string? Name, string? Kind, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, decimal? Budget, decimal? DiscountPct);

public sealed record CampaignInfluencerDto(long InfluencerId, string Handle, decimal Fee, int Posts);

public sealed record CampaignDto(long CampaignId, string Name, string Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt, decimal Budget,
    decimal? DiscountPct, IReadOnlyList<CampaignInfluencerDto> Influencers);

public sealed record CampaignInfluencerRequest(decimal? Fee, int? Posts);

public sealed record InfluencerRequest(string? Handle, string? Name, string? Platform, int? Followers);

public sealed record InfluencerDto(long InfluencerId, string Handle, string Name, string Platform, int Followers);

public sealed record CampaignSummaryDto(long CampaignId, string Name, DateTimeOffset StartsAt, DateTimeOffset EndsAt, decimal Spend, long Reach,
    long AttributedOrders, decimal AttributedRevenue, long OrdersInWindow, decimal RevenueInWindow, long OrdersBefore, decimal RevenueBefore,
    decimal? RevenueChangePct);
