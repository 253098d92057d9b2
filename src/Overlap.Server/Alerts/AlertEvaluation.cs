namespace Overlap.Server.Alerts;

/// <summary>The checks of one window, and the state changes they made (none when nothing changed: alerts are deduplicated).</summary>
public sealed record AlertEvaluation(
    string Feature,
    DateTimeOffset WindowStart,
    IReadOnlyList<CheckView> Checks,
    IReadOnlyList<AlertChangeView> Changes
);

/// <summary>A check as the API writes it (state: no_data, ok, warning, alert), with the data it judged (from, to).</summary>
public sealed record CheckView(
    string Check,
    string State,
    string Statement,
    DateTimeOffset? JudgedFrom,
    DateTimeOffset? JudgedTo
);

/// <summary>A feature's current check states and its recent state changes, newest first.</summary>
public sealed record AlertsResponse(
    string Feature,
    IReadOnlyList<AlertStateView> States,
    IReadOnlyList<AlertChangeView> History
);
