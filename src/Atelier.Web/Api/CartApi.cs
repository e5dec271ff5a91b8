using System.Security.Claims;
using Atelier.Services.Accounts;
using Atelier.Services.Orders;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Atelier.Web.Api;

/// <summary>The signed-in customer's cart.</summary>
internal static class CartApi
{
    public static IEndpointRouteBuilder MapCartApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/cart").WithTags("Cart").RequireAuthorization(AtelierRoles.CustomerPolicy);
        g.MapGet("/", GetCart).WithName("GetCart").WithSummary("The cart with current prices and availability");
        g.MapPut("/items/{articleId:long}", SetCartItem).WithName("SetCartItem").WithSummary("Set the quantity of one article");
        g.MapDelete("/items/{articleId:long}", RemoveCartItem).WithName("RemoveCartItem").WithSummary("Remove one article");
        g.MapDelete("/", ClearCart).WithName("ClearCart").WithSummary("Empty the cart");
        return app;
    }

    public static async Task<Ok<CartDto>> GetCart(ClaimsPrincipal user, CartService carts, CancellationToken ct) =>
        TypedResults.Ok(await carts.GetAsync(user.CustomerId(), ct));

    public static async Task<Results<Ok<CartDto>, NotFound, ValidationProblem>> SetCartItem(long articleId, SetCartLineRequest body,
        ClaimsPrincipal user, CartService carts, IOptions<OrderOptions> options, CancellationToken ct)
    {
        var max = options.Value.MaxQuantity;
        if (body.Quantity is not { } q || q < 1 || q > max)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["quantity"] = [$"a whole number from 1 to {max}"] });
        if (!await carts.SetLineAsync(user.CustomerId(), articleId, q, ct)) return TypedResults.NotFound();
        return TypedResults.Ok(await carts.GetAsync(user.CustomerId(), ct));
    }

    public static async Task<Results<Ok<CartDto>, NotFound>> RemoveCartItem(long articleId, ClaimsPrincipal user, CartService carts, CancellationToken ct)
    {
        if (!await carts.RemoveLineAsync(user.CustomerId(), articleId, ct)) return TypedResults.NotFound();
        return TypedResults.Ok(await carts.GetAsync(user.CustomerId(), ct));
    }

    public static async Task<NoContent> ClearCart(ClaimsPrincipal user, CartService carts, CancellationToken ct)
    {
        await carts.ClearAsync(user.CustomerId(), ct);
        return TypedResults.NoContent();
    }
}
