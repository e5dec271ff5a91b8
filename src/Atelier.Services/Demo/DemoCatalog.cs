namespace Atelier.Services.Demo;

/// <summary>The fixed vocabulary of the synthetic store: departments, product types, colours, sizes, seasons.</summary>
internal static class DemoCatalog
{
    public sealed record TypeSpec(int Id, string Name, string Group, string Department, decimal BasePrice, string Season, string[] Sizes);

    public static readonly string[] Departments = ["Womenswear", "Menswear", "Kids", "Accessories"];

    private static readonly string[] Adult = ["XS", "S", "M", "L", "XL"];
    private static readonly string[] Kid = ["92", "104", "116", "128", "140"];
    private static readonly string[] One = ["ONE SIZE"];

    public static readonly TypeSpec[] Types =
    [
        new(253, "Vest top", "Garment Upper body", "Womenswear", 12.99m, "summer", Adult),
        new(255, "T-shirt", "Garment Upper body", "Womenswear", 9.99m, "all", Adult),
        new(265, "Dress", "Garment Full body", "Womenswear", 34.99m, "summer", Adult),
        new(252, "Sweater", "Garment Upper body", "Womenswear", 29.99m, "winter", Adult),
        new(272, "Trousers", "Garment Lower body", "Womenswear", 29.99m, "all", Adult),
        new(274, "Shorts", "Garment Lower body", "Womenswear", 19.99m, "summer", Adult),
        new(275, "Skirt", "Garment Lower body", "Womenswear", 24.99m, "spring", Adult),
        new(264, "Coat", "Garment Upper body", "Womenswear", 79.99m, "winter", Adult),
        new(306, "Bra", "Underwear", "Womenswear", 17.99m, "all", Adult),
        new(259, "Shirt", "Garment Upper body", "Menswear", 27.99m, "all", Adult),
        new(260, "Jacket", "Garment Upper body", "Menswear", 59.99m, "autumn", Adult),
        new(273, "Jeans", "Garment Lower body", "Menswear", 39.99m, "all", Adult),
        new(245, "Hoodie", "Garment Upper body", "Menswear", 34.99m, "autumn", Adult),
        new(254, "Top", "Garment Upper body", "Kids", 7.99m, "all", Kid),
        new(268, "Dungarees", "Garment Full body", "Kids", 19.99m, "spring", Kid),
        new(87, "Boots", "Shoes", "Accessories", 49.99m, "winter", ["37", "38", "39", "40", "41"]),
        new(89, "Sneakers", "Shoes", "Accessories", 44.99m, "all", ["37", "38", "39", "40", "41"]),
        new(66, "Bag", "Accessories", "Accessories", 24.99m, "all", One),
        new(72, "Scarf", "Accessories", "Accessories", 14.99m, "winter", One),
        new(71, "Hat/beanie", "Accessories", "Accessories", 9.99m, "winter", One),
    ];

    public static readonly (int Id, string Name)[] Colours =
    [
        (9, "Black"), (10, "White"), (73, "Dark Blue"), (6, "Light Grey"), (13, "Beige"), (42, "Red"),
        (53, "Dark Green"), (51, "Light Pink"), (72, "Blue"), (17, "Yellowish Brown"), (83, "Dark Orange"), (19, "Greenish Khaki"),
    ];

    public static readonly string[] Adjectives =
        ["Relaxed", "Slim", "Oversized", "Ribbed", "Linen", "Cotton", "Wool-blend", "Cropped", "Pleated", "Tailored", "Soft", "Denim", "Satin", "Knitted", "Printed"];

    public static readonly string[] Styles =
        ["Nova", "Lina", "Oslo", "Rue", "Mira", "Sol", "Vale", "Juno", "Kit", "Ada", "Bay", "Cleo", "Dune", "Elm", "Fern", "Gala"];
}
