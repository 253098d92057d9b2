namespace Overlap.Server;

/// <summary>How <c>overlap serve</c> runs.</summary>
public sealed record ServerOptions
{
    /// <summary>
    /// The data folder: the ingest log, and the embedded store unless <see cref="Postgres"/> and
    /// <see cref="ClickHouse"/> name the servers (see <see cref="Overlap.Storage.StorageOptions"/>).
    /// </summary>
    public string DataFolder { get; init; } = "overlap-data";

    /// <summary>A PostgreSQL connection string for the state (contracts, users, keys, review, reports); with <see cref="ClickHouse"/>.</summary>
    public string? Postgres { get; init; }

    /// <summary>A ClickHouse HTTP address for the events (predictions, outcomes, feedback); with <see cref="Postgres"/>.</summary>
    public string? ClickHouse { get; init; }

    /// <summary>The ClickHouse cluster to spread events over; null for one server.</summary>
    public string? ClickHouseCluster { get; init; }

    /// <summary>For the embedded store: how long an event id is remembered (see <see cref="Overlap.Storage.StorageOptions.DedupHorizon"/>).</summary>
    public TimeSpan DedupHorizon { get; init; } = Overlap.Storage.StorageOptions.DefaultDedupHorizon;

    /// <summary>
    /// The secret for fields a contract's <c>privacy:</c> hashes (at least 16 characters; <c>OVERLAP_PRIVACY_KEY</c> for
    /// <c>overlap serve</c>); null keeps a random one in the data folder's <c>privacy.key</c>. Instances that share a
    /// store must be given the same one, or the same person's events would not link.
    /// </summary>
    public string? PrivacyKey { get; init; }

    /// <summary>The store these options name: PostgreSQL and ClickHouse when both are given, else the embedded one.</summary>
    public Overlap.Storage.StorageOptions Storage =>
        Postgres is null && ClickHouse is null
            ? new() { Location = DataFolder, DedupHorizon = DedupHorizon }
            : new()
            {
                Backend = Overlap.Storage.StorageBackend.Server,
                Location = DataFolder,
                Postgres = Postgres,
                ClickHouse = ClickHouse,
                ClickHouseCluster = ClickHouseCluster,
            };

    /// <summary>
    /// Whether other <c>overlap serve</c> instances may change the store while this one runs (the server backend): what
    /// this instance keeps in memory of the stored state (contracts, keys, users) is then checked against the store, at
    /// most <see cref="SharedStateFreshFor"/> apart, and read again at once when it is missing.
    /// </summary>
    public bool SharedStore => Postgres is not null;

    /// <summary>With a <see cref="SharedStore"/>, how long a change made through another instance may go unseen here.</summary>
    public TimeSpan SharedStateFreshFor { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Where to listen, e.g. http://127.0.0.1:5080 (port 0 picks a free port).</summary>
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>The largest request body accepted, in bytes (after gzip is undone); more is answered 413.</summary>
    public long MaxBodyBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>How many ingest batches may wait for the writer; when full, ingest is answered 429 with Retry-After.</summary>
    public int IngestQueueCapacity { get; init; } = 512;

    /// <summary>
    /// How often every experiment is judged in the background; a change of its decision (a rollback above all) is
    /// recorded as an alert state and sent to the contract's webhooks.
    /// </summary>
    public TimeSpan ExperimentCheckInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How many times an alert webhook is tried before it is recorded as failed.</summary>
    public int WebhookAttempts { get; init; } = 5;

    /// <summary>The wait before a webhook's second attempt; it doubles for each one after.</summary>
    public TimeSpan WebhookBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one webhook attempt may take, connecting and answering, before it counts as failed.</summary>
    public TimeSpan WebhookTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Hosts (<c>hooks.internal</c>) and address ranges (<c>10.0.0.0/8</c>, <c>127.0.0.1</c>) webhooks may reach although
    /// they are loopback, private, link-local or this server's own; by default webhooks reach only public addresses.
    /// </summary>
    public IReadOnlyList<string> WebhookAllow { get; init; } = [];

    /// <summary>Why <paramref name="entry"/> cannot be a <see cref="WebhookAllow"/> entry, or null when it can.</summary>
    public static string? WebhookAllowError(string entry) => Alerts.WebhookAddressPolicy.AllowEntryError(entry);

    /// <summary>The clock: the system's, or a fake one in tests.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Registers services after the server's own, replacing them (for instance a
    /// <see cref="Monitoring.IRubricGradeSource"/> that reads stored grades); null adds none.
    /// </summary>
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? Services { get; init; }
}
