namespace Atelier.Services.Api;

/// <summary>What kind of rule a request broke; the web layer maps each kind to one HTTP status.</summary>
public enum DomainErrorKind
{
    /// <summary>Well-formed but not allowed in the current state (e.g. cancelling after the window): 409.</summary>
    Conflict,
    /// <summary>The caller may not do this to this resource (e.g. reviewing an article never bought): 403.</summary>
    Forbidden,
    /// <summary>The request names something that does not exist or cannot be used: 422.</summary>
    Unprocessable,
}

/// <summary>A business-rule failure with a message meant for the API client.</summary>
public sealed class DomainException(DomainErrorKind kind, string title, string detail, string? field = null) : Exception(detail)
{
    public DomainErrorKind Kind { get; } = kind;
    public string Title { get; } = title;
    public string? Field { get; } = field;
}
