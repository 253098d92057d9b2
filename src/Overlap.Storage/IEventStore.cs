using Overlap.Events;

namespace Overlap.Storage;

/// <summary>
/// Everything the server keeps: contracts with their history, API keys, and events. The embedded DuckDB file is
/// the first implementation; a server-scale backend implements the same interface, and neither Core nor the
/// endpoints change.
/// </summary>
public interface IEventStore : IAsyncDisposable
{
    /// <summary>Stores a new version of a feature's contract and returns it (version 1 for the first).</summary>
    Task<ContractVersion> PutContractAsync(string feature, string yaml, string changedBy, DateTimeOffset changedAt, CancellationToken cancellationToken = default);

    /// <summary>The latest version of a feature's contract, or the given version; null when there is none.</summary>
    Task<ContractVersion?> GetContractAsync(string feature, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>Every version of a feature's contract, oldest first.</summary>
    Task<IReadOnlyList<ContractVersion>> ListContractVersionsAsync(string feature, CancellationToken cancellationToken = default);

    /// <summary>The features that have a contract.</summary>
    Task<IReadOnlyList<string>> ListFeaturesAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores a key's hash and role.</summary>
    Task AddKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default);

    /// <summary>The key with this hash, or null.</summary>
    Task<ApiKeyRecord?> FindKeyAsync(string hash, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores events in one transaction; an id already stored (for its kind and feature) is skipped. An outcome,
    /// feedback or business result without a feature takes that of the stored prediction it names. When the task completes
    /// the events are durable: committed to the database's write-ahead log on disk.
    /// </summary>
    Task<AppendResult> AppendAsync(IReadOnlyList<FeatureEvent> events, DateTimeOffset receivedAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores events loaded from the ingest log and, in the same transaction, the log position they reach, so a
    /// crash between the two can neither lose nor double a batch.
    /// </summary>
    Task<AppendResult> AppendFromLogAsync(IReadOnlyList<FeatureEvent> events, DateTimeOffset receivedAt, long logPosition, CancellationToken cancellationToken = default);

    /// <summary>The ingest log position loaded so far; null before the first load.</summary>
    Task<long?> GetLogPositionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// A feature's predictions with <paramref name="from"/> ≤ time &lt; <paramref name="to"/>, oldest first, each with
    /// its latest outcome and the values of <paramref name="attributes"/>; with <paramref name="sample"/>, a uniform
    /// random sample of at most that many (reservoir sampling with a fixed seed, so the same data give the same sample).
    /// </summary>
    Task<ProductionRows> ReadPredictionsAsync(string feature, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string> attributes, int? sample = null, CancellationToken cancellationToken = default);

    /// <summary>The latest change number among the hours of [<paramref name="from"/>, <paramref name="to"/>): whether anything there changed since.</summary>
    Task<long> ChangeInRangeAsync(string feature, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>Every check's current state for a feature.</summary>
    Task<IReadOnlyList<AlertStateRecord>> GetAlertStatesAsync(string feature, CancellationToken cancellationToken = default);

    /// <summary>Sets a check's current state.</summary>
    Task SaveAlertStateAsync(AlertStateRecord state, CancellationToken cancellationToken = default);

    /// <summary>Appends a state change to the history and returns it with its id.</summary>
    Task<AlertEventRecord> AddAlertEventAsync(AlertEventRecord alert, CancellationToken cancellationToken = default);

    /// <summary>Records what became of a state change's webhooks, and why when they failed.</summary>
    Task SetAlertDeliveryAsync(long id, string delivery, int attempts, string? reason, CancellationToken cancellationToken = default);

    /// <summary>A feature's state changes, newest first.</summary>
    Task<IReadOnlyList<AlertEventRecord>> ListAlertEventsAsync(string feature, int limit, CancellationToken cancellationToken = default);

    /// <summary>The feature's latest change number (see <c>changed_hours</c>): a report computed at it is current until it moves.</summary>
    Task<long> CurrentChangeAsync(string feature, CancellationToken cancellationToken = default);

    /// <summary>
    /// The windows starting in [<paramref name="from"/>, <paramref name="to"/>) whose stored report is still current (no
    /// prediction or label in their hours changed after it was computed), by window start, with when each was computed
    /// (microseconds since the epoch): a stored report is the same while this stamp is.
    /// </summary>
    Task<IReadOnlyDictionary<DateTimeOffset, long>> CurrentWindowStampsAsync(string feature, DateTimeOffset from, DateTimeOffset to, TimeSpan window, int contractVersion, int resamples, CancellationToken cancellationToken = default);

    /// <summary>
    /// The stored reports (JSON) of the windows starting at <paramref name="starts"/>, with their mergeable summaries when
    /// <paramref name="summaries"/>, and the stamp of each (see <see cref="CurrentWindowStampsAsync"/>). By window start.
    /// </summary>
    Task<IReadOnlyDictionary<DateTimeOffset, StoredWindow>> WindowReportsAsync(string feature, IReadOnlyCollection<DateTimeOffset> starts, TimeSpan window, int contractVersion, int resamples, bool summaries, CancellationToken cancellationToken = default);

    /// <summary>Stores a window's report (JSON) and its mergeable summary as computed at change number <paramref name="asOf"/>.</summary>
    Task SaveWindowReportAsync(string feature, DateTimeOffset start, TimeSpan window, int contractVersion, int resamples, long asOf, DateTimeOffset computedAt, string json, byte[]? summary, CancellationToken cancellationToken = default);

    /// <summary>
    /// For each of <paramref name="predictionIds"/> that is stored, the features that have a prediction with that id
    /// (ids are unique per feature, so there may be several), by id.
    /// </summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> FeaturesOfPredictionsAsync(IReadOnlyCollection<string> predictionIds, CancellationToken cancellationToken = default);

    /// <summary>How many events a feature has.</summary>
    Task<EventCounts> CountAsync(string feature, CancellationToken cancellationToken = default);
}
