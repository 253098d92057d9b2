namespace Overlap.Storage;

/// <summary>Which storage backend holds the server's data, and where.</summary>
public sealed record StorageOptions
{
    /// <summary>The backend.</summary>
    public StorageBackend Backend { get; init; } = StorageBackend.DuckDb;

    /// <summary>Where the data is: for the embedded backend, the data folder that holds its file.</summary>
    public required string Location { get; init; }

    /// <summary>
    /// Refuse to create a new store: opening fails with <see cref="StoreUnavailableException.Missing"/> when there is
    /// none (commands that only make sense on an existing store, such as listing keys).
    /// </summary>
    public bool MustExist { get; init; }

    /// <summary>
    /// How long the embedded store remembers an event id: an event whose id (for the same feature and kind) was received
    /// less than this before it is not stored again. Older ids are not looked at, so what an append reads stays bounded
    /// as the history grows; a delivery beyond the horizon is stored a second time, and every reader counts such an id
    /// once (its first received row). The server backend keeps ClickHouse's own promise and ignores this.
    /// </summary>
    public TimeSpan DedupHorizon { get; init; } = DefaultDedupHorizon;

    /// <summary>
    /// Seven days of receipt time: a retry comes seconds to hours after the first delivery, and a client that buffered
    /// through an outage of a weekend resends within days; a week covers both, and an append still reads the ids of a
    /// week, not of the whole history. (A frame the ingest log loads again after a crash keeps its first receipt time.)
    /// </summary>
    public static readonly TimeSpan DefaultDedupHorizon = TimeSpan.FromDays(7);

    /// <summary>For <see cref="StorageBackend.Server"/>: the PostgreSQL connection string of the state store.</summary>
    public string? Postgres { get; init; }

    /// <summary>For <see cref="StorageBackend.Server"/>: the ClickHouse HTTP address of the event store.</summary>
    public string? ClickHouse { get; init; }

    /// <summary>For <see cref="StorageBackend.Server"/>: the ClickHouse cluster that holds the events on several shards; null for one server.</summary>
    public string? ClickHouseCluster { get; init; }

    /// <summary>
    /// Where the data is, in words a log line may carry: the folder, or the PostgreSQL host, port and database and the
    /// ClickHouse address (and cluster), never a password.
    /// </summary>
    public string Describe()
    {
        if (Backend == StorageBackend.DuckDb)
        {
            return $"data in {Path.GetFullPath(Location)}";
        }
        string postgres;
        try
        {
            var settings = new Npgsql.NpgsqlConnectionStringBuilder(Postgres);
            postgres = $"{settings.Host}:{settings.Port}/{settings.Database ?? settings.Username}";
        }
        catch (ArgumentException)
        {
            postgres = "(a connection string that does not parse)";
        }
        var clickHouse = Uri.TryCreate(ClickHouse, UriKind.Absolute, out var address)
            ? address.GetComponents(UriComponents.SchemeAndServer, UriFormat.Unescaped)
            : "(an address that does not parse)";
        var cluster = ClickHouseCluster is null ? "" : $" (cluster {ClickHouseCluster})";
        return $"state in PostgreSQL {postgres}, events in ClickHouse {clickHouse}{cluster}";
    }
}

/// <summary>The storage backends Overlap can use.</summary>
public enum StorageBackend
{
    /// <summary>One embedded DuckDB file in a data folder.</summary>
    DuckDb,

    /// <summary>
    /// Beyond one machine: PostgreSQL holds the state (contracts, keys, users, reviews, alerts, evaluations, reports)
    /// and ClickHouse the events; <see cref="StorageOptions.Location"/> is the folder of this instance's own files.
    /// </summary>
    Server,
}
