namespace Atelier.Services.Api;

/// <summary>One page of a keyset-paginated list; pass <see cref="NextCursor"/> back to get the next page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>One page of an offset-paginated list.</summary>
public sealed record NumberedPage<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total);
