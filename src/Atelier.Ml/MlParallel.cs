namespace Atelier.Ml;

/// <summary>
/// How many cores the library's parallel loops may use, per asynchronous flow. A background job (a retraining inside a
/// web server) limits itself for its own flow, and every loop it reaches inherits the limit through the execution
/// context; other callers (requests, the CLI) keep all cores. Every <c>Parallel.For</c> in this library takes
/// <see cref="Options"/>.
/// </summary>
public static class MlParallel
{
    private static readonly AsyncLocal<ParallelOptions?> Scoped = new();
    private static readonly ParallelOptions Unlimited = new();

    /// <summary>The options of the current flow: unlimited unless a <see cref="Limit"/> scope is active.</summary>
    public static ParallelOptions Options => Scoped.Value ?? Unlimited;

    /// <summary>Limits the loops of the current flow (and of tasks it starts) to <paramref name="maxDegree"/> threads
    /// until the returned scope is disposed.</summary>
    public static IDisposable Limit(int maxDegree)
    {
        var previous = Scoped.Value;
        Scoped.Value = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, maxDegree) };
        return new Scope(previous);
    }

    /// <summary>All cores but one (at least one): what a background job on a serving machine should take.</summary>
    public static int AllButOne => Math.Max(1, Environment.ProcessorCount - 1);

    private sealed class Scope(ParallelOptions? previous) : IDisposable
    {
        public void Dispose() => Scoped.Value = previous;
    }
}
