namespace Overlap.Storage;

/// <summary>Alert state: each check's current state per feature, and the history of its changes with what became of their webhooks.</summary>
public interface IAlertStore
{
    /// <summary>Every check's current state for a feature, by check name.</summary>
    Task<IReadOnlyList<AlertStateRecord>> GetAlertStatesAsync(
        string feature,
        CancellationToken cancellationToken = default
    );

    /// <summary>Sets a check's current state (replacing the one before).</summary>
    Task SaveAlertStateAsync(AlertStateRecord state, CancellationToken cancellationToken = default);

    /// <summary>Appends a state change to the history and returns it with its id (ids grow).</summary>
    Task<AlertEventRecord> AddAlertEventAsync(AlertEventRecord alert, CancellationToken cancellationToken = default);

    /// <summary>Records what became of a state change's webhooks, and why when they failed.</summary>
    Task SetAlertDeliveryAsync(
        long id,
        string delivery,
        int attempts,
        string? reason,
        CancellationToken cancellationToken = default
    );

    /// <summary>A feature's state changes, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AlertEventRecord>> ListAlertEventsAsync(
        string feature,
        int limit,
        CancellationToken cancellationToken = default
    );
}
