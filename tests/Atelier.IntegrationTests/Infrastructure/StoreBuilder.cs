using Npgsql;

namespace Atelier.IntegrationTests.Infrastructure;

/// <summary>
/// Builds the rows one test needs, with names unique to that test, so tests never depend on each other's data.
/// </summary>
public sealed class StoreBuilder(NpgsqlDataSource db)
{
    private readonly string _tag = Guid.NewGuid().ToString("N")[..10];
    private static int _typeSeq = 10_000 + Random.Shared.Next(1_000_000);

    public string Tag => _tag;

    public async Task<int> CategoryAsync(string name = "Dresses", int? parentId = null) =>
        await ScalarAsync<int>("INSERT INTO category (parent_id, name, slug) VALUES (@p, @n, @s) RETURNING category_id",
            ("p", (object?)parentId ?? DBNull.Value), ("n", $"{name} {_tag}"), ("s", $"{name.ToLowerInvariant()}-{_tag}"));

    public async Task<int> ProductTypeAsync(string name = "Dress")
    {
        var group = await ScalarAsync<int>("INSERT INTO product_group (name) VALUES (@n) RETURNING product_group_id", ("n", $"Group {_tag} {name}"));
        var id = Interlocked.Increment(ref _typeSeq);
        await ExecAsync("INSERT INTO product_type (product_type_id, name, product_group_id) VALUES (@i, @n, @g)", ("i", id), ("n", name), ("g", group));
        return id;
    }

    public async Task<long> ProductAsync(int categoryId, int productTypeId, string name = "Linen dress") =>
        await ScalarAsync<long>(
            "INSERT INTO product (product_code, name, product_type_id, category_id) VALUES (@c, @n, @t, @k) RETURNING product_id",
            ("c", $"P-{_tag}-{Guid.NewGuid():N}"[..24]), ("n", name), ("t", productTypeId), ("k", categoryId));

    public async Task<long> ArticleAsync(long productId, decimal price, int stock, string size = "M", int reorderLevel = 5) =>
        await ScalarAsync<long>(
            "INSERT INTO article (article_code, product_id, size, price, stock, reorder_level) VALUES (@c, @p, @s, @pr, @st, @r) RETURNING article_id",
            ("c", $"A-{_tag}-{Guid.NewGuid():N}"[..24]), ("p", productId), ("s", size), ("pr", price), ("st", stock), ("r", reorderLevel));

    /// <summary><paramref name="n"/> products of one type ("<paramref name="name"/> 0", "… 1", …), one article each.</summary>
    public async Task<long[]> ProductArticlesAsync(int n, int categoryId, int productTypeId, string name, decimal price, int stock)
    {
        var articles = new long[n];
        for (var i = 0; i < n; i++) articles[i] = await ArticleAsync(await ProductAsync(categoryId, productTypeId, $"{name} {i}"), price, stock);
        return articles;
    }

    /// <summary><paramref name="n"/> articles (sizes S0, S1, …) of one new product, as their article codes (what import files name).</summary>
    public async Task<string[]> ArticleCodesAsync(int n)
    {
        var product = await ProductAsync(await CategoryAsync(), await ProductTypeAsync());
        var codes = new string[n];
        for (var i = 0; i < n; i++)
            codes[i] = await ScalarAsync<string>("SELECT article_code FROM article WHERE article_id = @a",
                ("a", await ArticleAsync(product, 10m, 5, size: $"S{i}")));
        return codes;
    }

    public async Task<long> CustomerAsync() =>
        await ScalarAsync<long>("INSERT INTO customer (external_ref) VALUES (@r) RETURNING customer_id", ("r", $"c-{_tag}-{Guid.NewGuid():N}"));

    /// <summary>A historical order inserted directly (not through place_order), for view fixtures.</summary>
    public async Task<long> HistoricalOrderAsync(long customerId, DateTime placedAtUtc, params (long Article, int Qty, decimal Price)[] lines)
    {
        var orderId = await ScalarAsync<long>(
            "INSERT INTO orders (customer_id, placed_at, status) VALUES (@c, @t, 'delivered') RETURNING order_id",
            ("c", customerId), ("t", placedAtUtc));
        for (var i = 0; i < lines.Length; i++)
            await ExecAsync("INSERT INTO order_line (order_id, line_no, article_id, quantity, unit_price) VALUES (@o, @l, @a, @q, @p)",
                ("o", orderId), ("l", (short)(i + 1)), ("a", lines[i].Article), ("q", lines[i].Qty), ("p", lines[i].Price));
        return orderId;
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var cmd = db.CreateCommand(sql);
        foreach (var (n, v) in parameters) cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
        var result = await cmd.ExecuteScalarAsync();
        return (T)Convert.ChangeType(result!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var cmd = db.CreateCommand(sql);
        foreach (var (n, v) in parameters) cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
        await cmd.ExecuteNonQueryAsync();
    }
}
