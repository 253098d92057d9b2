using Overlap.Core.Monitoring;
using Overlap.Storage;

namespace Overlap.Server.Alerts;

/// <summary>
/// A check's current state as the API writes it (state: no_data, ok, warning, alert), the window it was judged on, in
/// words, when, and the data it judged (from, to).
/// </summary>
public sealed record AlertStateView(
    string Feature,
    string Check,
    AlertState State,
    DateTimeOffset WindowStart,
    string Statement,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? JudgedFrom,
    DateTimeOffset? JudgedTo
)
{
    /// <summary>The view of a stored state.</summary>
    public static AlertStateView Of(AlertStateRecord state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new(
            state.Feature,
            state.Check,
            state.State,
            state.WindowStart,
            state.Statement,
            state.UpdatedAt,
            state.JudgedFrom,
            state.JudgedTo
        );
    }
}

/// <summary>
/// A change of a check's state as the API writes it, with what became of its webhooks (delivery: pending, delivered,
/// failed, none; attempts; why a failed one failed) and the data the check judged (from, to).
/// </summary>
public sealed record AlertChangeView(
    long Id,
    string Feature,
    string Check,
    AlertState State,
    AlertState Previous,
    DateTimeOffset WindowStart,
    string Statement,
    DateTimeOffset CreatedAt,
    string Delivery,
    int Attempts,
    string? DeliveryReason,
    DateTimeOffset? JudgedFrom,
    DateTimeOffset? JudgedTo
)
{
    /// <summary>The view of a stored change.</summary>
    public static AlertChangeView Of(AlertEventRecord change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new(
            change.Id,
            change.Feature,
            change.Check,
            change.State,
            change.Previous,
            change.WindowStart,
            change.Statement,
            change.CreatedAt,
            change.Delivery,
            change.Attempts,
            change.DeliveryReason,
            change.JudgedFrom,
            change.JudgedTo
        );
    }
}
