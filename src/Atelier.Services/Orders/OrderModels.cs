namespace Atelier.Services.Orders;

public sealed record OrderItem(long? ArticleId, int? Quantity);

/// <summary>Body of <c>POST /api/orders</c>: explicit items, or none to order the current cart.</summary>
public sealed record PlaceOrderRequest(IReadOnlyList<OrderItem>? Items);

public sealed record OrderLineDto(int LineNo, long ArticleId, string ArticleCode, string ProductName, int Quantity,
    decimal UnitPrice, decimal Discount, decimal LineTotal);

public sealed record OrderDto(long OrderId, DateTimeOffset PlacedAt, string Status, decimal Total, int Units,
    DateTimeOffset? CancellableUntil, IReadOnlyList<OrderLineDto> Lines);

public sealed record OrderSummaryDto(long OrderId, DateTimeOffset PlacedAt, string Status, decimal Total, int Units);

/// <summary>The order, and whether it is the stored result of an earlier request with the same Idempotency-Key.</summary>
public sealed record PlaceOrderOutcome(OrderDto Order, bool Replayed);

public sealed record CartLineDto(long ArticleId, string ArticleCode, long ProductId, string ProductName, string Size,
    int Quantity, decimal UnitPrice, decimal LineTotal, int Available);

public sealed record CartDto(IReadOnlyList<CartLineDto> Lines, int Units, decimal Total);

public sealed record SetCartLineRequest(int? Quantity);

/// <summary>Order settings (section <c>Atelier:Orders</c>).</summary>
public sealed class OrderOptions
{
    public int CancelWindowMinutes { get; set; } = 30;
    public int MaxItems { get; set; } = 50;
    public int MaxQuantity { get; set; } = 99;
}
