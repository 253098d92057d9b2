using System.Globalization;
using Overlap.Core.Timestamps;

namespace Overlap.Core.Sampling;

/// <summary>
/// Ids made from other ids, by one rule each, so a store's query and the server's code name the same event. docs/api.md
/// ("Sampling and derived ids") states them.
/// </summary>
public static class DerivedIds
{
    /// <summary>
    /// The id of the outcome a review decision records: <c>review:</c>, the prediction id, <c>:</c>, and the decision's
    /// time in microseconds since the Unix epoch. One per decision, so writing it twice stores it once.
    /// </summary>
    public static string ReviewOutcome(string predictionId, DateTimeOffset decidedAt) =>
        ReviewOutcome(predictionId, UnixMicroseconds.From(decidedAt));

    /// <summary>The same rule with the time already in microseconds since the Unix epoch.</summary>
    public static string ReviewOutcome(string predictionId, long decidedAtMicroseconds)
    {
        ArgumentNullException.ThrowIfNull(predictionId);
        return string.Create(CultureInfo.InvariantCulture, $"review:{predictionId}:{decidedAtMicroseconds}");
    }
}
