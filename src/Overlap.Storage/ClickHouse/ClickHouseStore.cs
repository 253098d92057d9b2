using System.Globalization;
using Overlap.Core.Timestamps;

namespace Overlap.Storage.ClickHouse;

/// <summary>
/// The event store on ClickHouse (one server, or a cluster of shards, replicated or not), spoken to over its HTTP
/// interface. It holds predictions, outcomes, feedback and business results, and answers the range reads, counts and
/// change numbers. ClickHouse has no transactions, so exactly-once rests on keys and identical blocks, not on a commit:
/// an append first asks which of its (feature, id) keys are stored and inserts nothing of a kind whose events all are;
/// a batch loaded again after a crash (its rows stored, its log position not) is then all duplicates. A batch sent
/// again after a partial failure is inserted as the same blocks, which replicated shards drop (see
/// <see cref="InsertAsync"/>), and a copy that slips past both (two instances loading one event at once) has the same
/// key, lands on the same shard and is removed by <c>ReplacingMergeTree</c>, with <c>FINAL</c> reading as if it were
/// already merged and <see cref="OptimizeClosedPartitionsAsync"/> merging months that have ended. The log position is
/// written after the batch it covers.
/// </summary>
internal sealed partial class ClickHouseStore
    : IEventSink,
        IEventReader,
        IPredictionGroupReader,
        IEventMaintenance,
        IDisposable
{
    /// <summary>The oldest ClickHouse whose SQL the store's queries are written for (Debian's
    /// clickhouse-server).</summary>
    public static readonly Version Oldest = new(18, 16);

    /// <summary>The file in the instance's folder that names it in the shared store (its ingest log position is kept by
    /// that name).</summary>
    public const string InstanceFile = "clickhouse-instance";

    private readonly ClickHouseHttp _http;
    private readonly IReadOnlyList<ClickHouseHttp> _others;
    private readonly string _database;
    private readonly string _instance;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _write = new(1, 1);
    private long _lastChange;

    private ClickHouseStore(
        ClickHouseHttp http,
        IReadOnlyList<ClickHouseHttp> others,
        string database,
        string? cluster,
        string instance,
        TimeProvider time
    )
    {
        _http = http;
        _others = others;
        _database = database;
        Cluster = cluster;
        _instance = instance;
        _time = time;
    }

    /// <summary>The cluster the tables are spread over; null on one server.</summary>
    public string? Cluster { get; }

    /// <summary>
    /// Whether the tables are replicated (<c>ReplicatedReplacingMergeTree</c>), as the store found them at open. New
    /// tables are replicated when there is a cluster and the server names its shard and replica in its <c>macros</c>
    /// (the cluster's ZooKeeper is already needed for <c>ON CLUSTER</c>): the servers' configs say the topology, so an
    /// option of Overlap's own could only disagree with them. Tables made earlier keep the engine they were made with.
    /// </summary>
    public bool Replicated { get; private set; }

    /// <summary>The server's version, read at open.</summary>
    public Version ServerVersion { get; private set; } = Oldest;

    /// <summary>
    /// Opens the store at <paramref name="address"/> (an HTTP address; its <c>database</c> parameter names the
    /// database, <c>overlap</c> when absent; a user and password may be given in it), creating the database and running
    /// the migrations it has not had. With <paramref name="cluster"/>, tables are made on every shard (<c>ON CLUSTER</c>,
    /// which needs the cluster's ZooKeeper) under Distributed tables, and <paramref name="address"/> may name more
    /// servers of the cluster after the first, separated by commas: every read and write goes through the first; on
    /// replicated shards an erasure, and an upgrade that adds columns, run on one server of each shard (see
    /// <see cref="MutateAsync"/>).
    /// <paramref name="folder"/> is this instance's own folder, where the name of its ingest log is kept.
    /// </summary>
    public static async Task<ClickHouseStore> OpenAsync(
        string address,
        string? cluster,
        string folder,
        TimeProvider? time = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(folder);
        var uris = address
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(ParseAddress)
            .ToList();
        if (uris.Count == 0)
        {
            throw new StoreUnavailableException(
                "no ClickHouse address was given; give one such as http://127.0.0.1:8123/?database=overlap"
            );
        }
        var database = Parameter(uris[0], "database") ?? "overlap";
        if (!ClickHouseSql.IsPlainName(database))
        {
            throw new StoreUnavailableException(
                $"'{database}' cannot name a ClickHouse database here; use letters, digits and underscores"
            );
        }
        if (uris.Skip(1).FirstOrDefault(u => Parameter(u, "database") is { } other && other != database) is { } odd)
        {
            throw new StoreUnavailableException(
                $"the ClickHouse addresses name different databases ('{database}' and '{Parameter(odd, "database")}'); the first names the store's database, so leave it out of the others"
            );
        }
        if (cluster is not null && !ClickHouseSql.IsPlainName(cluster))
        {
            throw new StoreUnavailableException(
                $"'{cluster}' cannot name a ClickHouse cluster here; use the name in the servers' remote_servers"
            );
        }
        if (cluster is null && uris.Count > 1)
        {
            throw new StoreUnavailableException(
                "several ClickHouse addresses are the servers of one cluster: name it with --clickhouse-cluster, or give one address"
            );
        }
        var servers = uris.Select(u => new ClickHouseHttp(u, TimeSpan.FromSeconds(300))).ToList();
        try
        {
            var store = new ClickHouseStore(
                servers[0],
                servers[1..],
                database,
                cluster,
                InstanceName(folder),
                time ?? TimeProvider.System
            );
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch (ClickHouseException e)
        {
            servers.ForEach(s => s.Dispose());
            // A database or table that cannot be made (no ZooKeeper for ON CLUSTER, no rights) leaves no usable store.
            throw new StoreUnavailableException(
                $"the ClickHouse store at {servers[0].Address} cannot be prepared: {e.Message}",
                e
            );
        }
        catch
        {
            servers.ForEach(s => s.Dispose());
            throw;
        }
    }

    private static Uri ParseAddress(string address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new StoreUnavailableException(
                $"'{address}' is not a ClickHouse HTTP address; give one such as http://127.0.0.1:8123/?database=overlap"
            );

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var version = (
            await _http.QueryAsync("SELECT version()", r => r.String(), cancellationToken).ConfigureAwait(false)
        )[0];
        ServerVersion = ParseVersion(version);
        if (ServerVersion < Oldest)
        {
            throw new StoreUnavailableException(
                $"the ClickHouse server at {_http.Address} is version {version}; Overlap needs {Oldest} or later"
            );
        }
        if (Cluster is not null)
        {
            var shards = await _http
                .QueryAsync(
                    $"SELECT toUInt64(count()) FROM system.clusters WHERE cluster = {ClickHouseSql.Literal(Cluster)}",
                    r => r.UInt64(),
                    cancellationToken
                )
                .ConfigureAwait(false);
            if (shards[0] == 0)
            {
                throw new StoreUnavailableException(
                    $"the ClickHouse server at {_http.Address} has no cluster '{Cluster}' in its remote_servers; name one it has with --clickhouse-cluster"
                );
            }
        }
        var replicated = Cluster is not null && await HasReplicaMacrosAsync(cancellationToken).ConfigureAwait(false);
        foreach (var statement in ClickHouseSchema.Bootstrap(_database, Cluster, replicated))
        {
            await _http.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
        }
        var applied = await _http
            .QueryAsync(
                $"SELECT DISTINCT toInt64(version) FROM {Table("schema_migrations")}",
                r => (int)r.Int64(),
                cancellationToken
            )
            .ConfigureAwait(false);
        IReadOnlyList<ClickHouseHttp>? shardServers = null;
        foreach (var (step, statements) in ClickHouseSchema.After(applied.ToHashSet(), _database, Cluster, replicated))
        {
            foreach (var statement in statements)
            {
                IReadOnlyList<ClickHouseHttp> servers = [_http];
                if (statement.PerShard)
                {
                    servers = shardServers ??= await ShardServersAsync("upgrading the tables of", cancellationToken)
                        .ConfigureAwait(false);
                }
                foreach (var server in servers)
                {
                    await RunAsync(server, statement, cancellationToken).ConfigureAwait(false);
                }
            }
            var now = UnixMicroseconds.From(_time.GetUtcNow());
            await _http
                .ExecuteAsync(
                    $"INSERT INTO {Table("schema_migrations")} (version, applied_us) VALUES ({ClickHouseSql.Literal(step)}, {ClickHouseSql.Literal(now)})",
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        Replicated = await TablesReplicateAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a migration's statement on <paramref name="server"/> unless its work is done there already.</summary>
    private static async Task RunAsync(
        ClickHouseHttp server,
        MigrationStatement statement,
        CancellationToken cancellationToken
    )
    {
        async Task<bool> DoneAsync() =>
            statement.Done is { } done
            && (await server.QueryAsync(done, r => r.UInt64(), cancellationToken).ConfigureAwait(false))[0] > 0;
        if (await DoneAsync().ConfigureAwait(false))
        {
            return;
        }
        try
        {
            await server.ExecuteAsync(statement.Sql, cancellationToken).ConfigureAwait(false);
        }
        catch (ClickHouseException) when (statement.Done is not null)
        {
            // Another instance opening the same database at the same time may have made it meanwhile.
            if (!await DoneAsync().ConfigureAwait(false))
            {
                throw;
            }
        }
    }

    /// <summary>Whether this server names its shard and replica (the macros replicated tables are made with).</summary>
    private async Task<bool> HasReplicaMacrosAsync(CancellationToken cancellationToken) =>
        (
            await _http
                .QueryAsync(
                    "SELECT toUInt64(count()) FROM system.macros WHERE macro IN ('shard', 'replica')",
                    r => r.UInt64(),
                    cancellationToken
                )
                .ConfigureAwait(false)
        )[0] == 2;

    /// <summary>Reads back whether the tables replicate: their engine, as the server holds it.</summary>
    private async Task<bool> TablesReplicateAsync(CancellationToken cancellationToken)
    {
        var engines = await _http
            .QueryAsync(
                $"SELECT engine FROM system.tables WHERE database = {ClickHouseSql.Literal(_database)} "
                    + $"AND name = {ClickHouseSql.Literal(ClickHouseSchema.Local("predictions", Cluster))}",
                r => r.String(),
                cancellationToken
            )
            .ConfigureAwait(false);
        return engines.Count == 1 && ClickHouseSchema.IsReplicated(engines[0]);
    }

    /// <summary>The name of a table in this store's database (the Distributed one on a cluster).</summary>
    private string Table(string name) => ClickHouseSchema.Name(_database, name);

    /// <summary>The instance's name in the shared store: made once, kept in its folder, so a restart resumes its own
    /// log.</summary>
    private static string InstanceName(string folder)
    {
        var path = Path.Combine(folder, InstanceFile);
        try
        {
            if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } known)
            {
                return known;
            }
            Directory.CreateDirectory(folder);
            var name = Guid.NewGuid().ToString("N");
            File.WriteAllText(path, name + "\n");
            return name;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreUnavailableException(
                $"the instance folder {folder} cannot be written ({e.Message.TrimEnd('.')}); choose a folder you can write to with --data",
                e
            );
        }
    }

    private static string? Parameter(Uri uri, string name)
    {
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            if (Uri.UnescapeDataString(parts[0]) == name && parts.Length == 2)
            {
                return Uri.UnescapeDataString(parts[1]);
            }
        }
        return null;
    }

    private static Version ParseVersion(string text)
    {
        var parts = text.Split('.');
        return
            parts.Length >= 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
            ? new Version(major, minor)
            : new Version(0, 0);
    }

    public void Dispose()
    {
        _http.Dispose();
        foreach (var other in _others)
        {
            other.Dispose();
        }
        _write.Dispose();
    }
}
