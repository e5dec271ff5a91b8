using System.Security.Claims;
using Atelier.Services.Accounts;
using Atelier.Services.Api;
using Atelier.Services.Orders;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Atelier.Web.Api;

/// <summary>Order placement (idempotent), history, detail and cancellation — always the caller's own orders.</summary>
internal static class OrdersApi
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/orders").WithTags("Orders").RequireAuthorization(AtelierRoles.CustomerPolicy);
        g.MapPost("/", PlaceOrder).WithName("PlaceOrder")
            .WithSummary("Place an order (items, or the cart when items is omitted); requires an Idempotency-Key header");
        g.MapGet("/", ListOrders).WithName("ListOrders").WithSummary("Order history, newest first (keyset pagination)");
        g.MapGet("/{orderId:long}", GetOrder).WithName("GetOrder").WithSummary("One of the caller's orders");
        g.MapPost("/{orderId:long}/cancel", CancelOrder).WithName("CancelOrder").WithSummary("Cancel within the cancellation window");
        return app;
    }

    public static async Task<Results<Created<OrderDto>, Ok<OrderDto>, ValidationProblem>> PlaceOrder(
        PlaceOrderRequest? body, [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey, ClaimsPrincipal user,
        OrderService orders, IOptions<OrderOptions> options, HttpContext http, CancellationToken ct)
    {
        var o = options.Value;
        var v = new Validation()
            .Require(!string.IsNullOrWhiteSpace(idempotencyKey) && idempotencyKey.Length <= 200, IdempotencyHeader,
                "a unique key (1-200 characters, e.g. a UUID) per order attempt is required; reuse it when retrying");
        var items = body?.Items;
        if (items is { Count: > 0 })
        {
            v.Require(items.Count <= o.MaxItems, "items", $"at most {o.MaxItems} items");
            for (var i = 0; i < Math.Min(items.Count, o.MaxItems); i++)
            {
                v.Require(items[i] is { ArticleId: > 0 }, $"items[{i}].articleId", "a positive article id is required");
                v.Require(items[i] is { Quantity: >= 1 } it && it.Quantity <= o.MaxQuantity, $"items[{i}].quantity", $"a whole number from 1 to {o.MaxQuantity}");
            }
        }
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var outcome = await orders.PlaceAsync(user.UserId(), user.CustomerId(), idempotencyKey!, items, ct);
        if (outcome.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
        return TypedResults.Created($"/api/orders/{outcome.Order.OrderId}", outcome.Order);
    }

    public static async Task<Results<Ok<Page<OrderSummaryDto>>, ValidationProblem>> ListOrders(ClaimsPrincipal user, OrderService orders,
        CancellationToken ct, int limit = 20, string? cursor = null)
    {
        long? before = null;
        var v = new Validation().Require(limit is >= 1 and <= 100, "limit", "between 1 and 100");
        if (cursor is not null)
        {
            v.Require(Cursor.TryDecode(cursor, out _, out var id), "cursor", "not a cursor returned by this list");
            before = id;
        }
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        return TypedResults.Ok(await orders.HistoryAsync(user.CustomerId(), before, limit, ct));
    }

    public static async Task<Results<Ok<OrderDto>, NotFound>> GetOrder(long orderId, ClaimsPrincipal user, OrderService orders, CancellationToken ct) =>
        await orders.GetAsync(user.CustomerId(), orderId, ct) is { } o ? TypedResults.Ok(o) : TypedResults.NotFound();

    public static async Task<Results<Ok<OrderDto>, NotFound>> CancelOrder(long orderId, ClaimsPrincipal user, OrderService orders, CancellationToken ct) =>
        await orders.CancelAsync(user.CustomerId(), orderId, ct) is { } o ? TypedResults.Ok(o) : TypedResults.NotFound();
}
