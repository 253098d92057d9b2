namespace Overlap.Core.Contracts;

/// <summary>
/// Who uses the feature (<c>usage:</c>): the attribute that names a user, and how soon a new user must come back to
/// count as activated. Without it, usage is counted in predictions only.
/// </summary>
public sealed record UsagePolicy
{
    /// <summary>The prediction attribute (or input) that names the user; stored as sent, or hashed by the privacy rules.</summary>
    public string? User { get; init; }

    /// <summary>A new user is activated by a use on a later UTC day within this long of their first.</summary>
    public TimeSpan ActivationWithin { get; init; } = TimeSpan.FromDays(7);
}
