namespace Overlap.Events;

/// <summary>
/// What the contract's workflow did with one call, as the guard logged it: the route the call took, how many times the
/// model was asked, which checks failed on the way, and why the route was taken. Sent as a prediction's
/// <c>workflow</c> object: <c>{"route":"retry","attempts":2,"failed_checks":["json_format"],"reason":"…"}</c>.
/// </summary>
public sealed record WorkflowTrace
{
    /// <summary>The route the call took: one of <see cref="WorkflowRoutes.All"/>.</summary>
    public required string Route { get; init; }

    /// <summary>How many times the model was asked (1 when it was not retried; 0 when the input was refused before).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>The names of the checks (input expectations or output checks) that failed on the way, in order.</summary>
    public IReadOnlyList<string> FailedChecks { get; init; } = [];

    /// <summary>Why the route was taken, in the contract's words (for example the failed check's message).</summary>
    public string? Reason { get; init; }

    /// <summary>The most attempts a trace may report: a guard retries a few times, never hundreds.</summary>
    public const int MaxAttempts = 100;

    /// <summary>The most failed checks a trace may list.</summary>
    public const int MaxFailedChecks = 50;

    /// <summary>The longest name of a failed check, in characters.</summary>
    public const int MaxCheckNameLength = 100;

    /// <summary>The longest reason, in characters.</summary>
    public const int MaxReasonLength = 2000;

    /// <summary>Two traces are equal when their route, attempts, reason and failed checks (in order) are.</summary>
    public bool Equals(WorkflowTrace? other) =>
        other is not null
        && Route == other.Route
        && Attempts == other.Attempts
        && Reason == other.Reason
        && FailedChecks.SequenceEqual(other.FailedChecks, StringComparer.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Route, StringComparer.Ordinal);
        hash.Add(Attempts);
        hash.Add(Reason, StringComparer.Ordinal);
        foreach (var check in FailedChecks)
        {
            hash.Add(check, StringComparer.Ordinal);
        }
        return hash.ToHashCode();
    }
}

/// <summary>The routes a guarded call can take.</summary>
public static class WorkflowRoutes
{
    /// <summary>The first answer passed every check and was used.</summary>
    public const string Direct = "direct";

    /// <summary>An answer failed a check; a later attempt passed and was used.</summary>
    public const string Retry = "retry";

    /// <summary>The application's named alternative answered instead of the model.</summary>
    public const string Fallback = "fallback";

    /// <summary>The case went to the review queue for a person to decide.</summary>
    public const string Escalate = "escalate";

    /// <summary>The score fell in the contract's uncertain band; a person decides instead of the model.</summary>
    public const string Abstain = "abstain";

    /// <summary>The input failed the contract's expectations and the call was refused; nothing was answered.</summary>
    public const string Reject = "reject";

    /// <summary>Every route, in the order the documentation lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Direct, Retry, Fallback, Escalate, Abstain, Reject];
}
