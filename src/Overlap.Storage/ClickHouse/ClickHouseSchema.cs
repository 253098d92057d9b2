namespace Overlap.Storage.ClickHouse;

/// <summary>
/// The ClickHouse tables and their versioned migrations. Times are microseconds since the Unix epoch (UTC), JSON
/// objects text. Event tables are <c>ReplacingMergeTree</c> keyed by (feature, id) and partitioned by month, so a row
/// written twice (a retried insert, two instances loading the same event) is one row once merged, and reads that must
/// be exact use <c>FINAL</c>. On a cluster each table is a <c>_local</c> table on every server under a
/// <c>Distributed</c> table of the same name, sharded by a hash of its key: a retried event lands on the shard that
/// already holds it, where the engine removes the copy. When the servers name their shard and replica (the
/// <c>{shard}</c> and <c>{replica}</c> macros), the local tables are <c>ReplicatedReplacingMergeTree</c>: the
/// replicas of a shard copy each other through ZooKeeper, and an insert block sent again is dropped before any merge.
/// </summary>
internal static class ClickHouseSchema
{
    /// <summary>
    /// One table: its columns, the version column <c>ReplacingMergeTree</c> keeps the largest of (null: the last row
    /// inserted), its partitioning and order, and the key its rows are sharded by.
    /// </summary>
    private sealed record Table(string Name, string Columns, string? Version, string Layout, string ShardKey);

    /// <summary>
    /// One migration: the tables it creates, and the columns it adds to tables an earlier one made (appended, nullable,
    /// so old rows read them as null and every replica and Distributed table gets the same columns).
    /// </summary>
    /// <param name="Version">The migration's number.</param>
    /// <param name="Tables">The tables it creates.</param>
    /// <param name="Added">The columns it adds to tables an earlier one made.</param>
    /// <param name="Backfill">
    /// What it copies into its new tables from a database an earlier version made, as SQL with <c>{database}</c> in
    /// place of the database's name (a new database has nothing to copy). Run once, after the tables are made; run again
    /// after a cut-short try, it copies rows whose keys are stored, which the engine keeps once.
    /// </param>
    private sealed record Step(
        int Version,
        Table[] Tables,
        (string Table, string Column)[]? Added = null,
        string? Backfill = null
    );

    /// <summary>The event tables' partitioning: by calendar month (UTC) of the event's time, so a window of days reads
    /// one or two partitions and a month that has ended is a partition that can be merged once and left.</summary>
    private const string ByMonth = "PARTITION BY toYYYYMM(toDateTime(intDiv(time_us, 1000000)))";

    /// <summary>The event tables, partitioned by month (<see cref="ByMonth"/>).</summary>
    public static readonly IReadOnlyList<string> EventTables = ["predictions", "outcomes", "feedback", "business"];

    private static readonly Table Migrations = new(
        "schema_migrations",
        "version UInt32, applied_us Int64",
        null,
        "ORDER BY version",
        "version"
    );

    /// <summary>
    /// Each migration, in order: its version and the tables it creates. A migration runs once per database (its version
    /// is then written to <c>schema_migrations</c>); a later change to a table is a new migration, never an edit here.
    /// Migration 1 makes replicated tables when the cluster has replicas: it was changed to do so before the server
    /// backend shipped, so no store has migration 1's earlier, unreplicated tables.
    /// </summary>
    private static readonly Step[] Steps =
    [
        new(
            1,
            [
                new(
                    "predictions",
                    """
                    feature String, id String, time_us Int64, model_version Nullable(String), score Nullable(Float64),
                    prediction Nullable(String), latency_ms Nullable(Float64), cost Nullable(Float64),
                    inputs Nullable(String), attributes Nullable(String), received_us Int64, output Nullable(String),
                    input_tokens Nullable(Int64), output_tokens Nullable(Int64), conversation_id Nullable(String),
                    model Nullable(String), error Nullable(String)
                    """,
                    null,
                    $"{ByMonth} ORDER BY (feature, id)",
                    "cityHash64(feature, id)"
                ),
                new(
                    "outcomes",
                    """
                    feature String, id String, prediction_id String, label String, source Nullable(String),
                    time_us Int64, received_us Int64
                    """,
                    null,
                    $"{ByMonth} ORDER BY (feature, id)",
                    "cityHash64(feature, id)"
                ),
                new(
                    "feedback",
                    """
                    feature String, id String, prediction_id String, kind String, time_us Int64, received_us Int64,
                    edit_distance Nullable(Int64), final_length Nullable(Int64)
                    """,
                    null,
                    $"{ByMonth} ORDER BY (feature, id)",
                    "cityHash64(feature, id)"
                ),
                new(
                    "business",
                    """
                    feature String, id String, name String, value Float64, prediction_id Nullable(String),
                    time_us Int64, received_us Int64
                    """,
                    null,
                    $"{ByMonth} ORDER BY (feature, id)",
                    "cityHash64(feature, id)"
                ),
                // Per feature and hour, the latest change number of an append that added a prediction or a label there.
                new(
                    "changed_hours",
                    "feature String, hour Int64, change Int64",
                    "change",
                    "ORDER BY (feature, hour)",
                    "cityHash64(feature, hour)"
                ),
                // Per instance (each overlap serve has its own ingest log), the log position loaded so far.
                new(
                    "ingest_log",
                    "instance String, position Int64",
                    "position",
                    "ORDER BY instance",
                    "cityHash64(instance)"
                ),
            ]
        ),
        // What the contract's workflow did with a call (WorkflowColumns): route, attempts, failed checks, reason.
        new(
            2,
            [],
            [
                ("predictions", "workflow_route Nullable(String)"),
                ("predictions", "workflow_attempts Nullable(Int64)"),
                ("predictions", "workflow_failed_checks Nullable(String)"),
                ("predictions", "workflow_reason Nullable(String)"),
            ]
        ),
        // Each outcome again, under the hour of the prediction it labels (-1 when the prediction was not stored when the
        // outcome was loaded): a window's labels are then read from its own hours by the table's order, where a read of
        // `outcomes` (ordered by outcome id) scanned every outcome of the feature. Outcomes stored before are copied
        // under -1, read by every window as before.
        new(
            3,
            [
                new(
                    "outcome_hours",
                    "feature String, prediction_hour Int64, prediction_id String, id String, label String, time_us Int64",
                    null,
                    "PARTITION BY intDiv(prediction_hour, 24 * 31) ORDER BY (feature, prediction_hour, prediction_id, id)",
                    "cityHash64(feature, id)"
                ),
            ],
            Backfill: "INSERT INTO `{database}`.`outcome_hours` (feature, prediction_hour, prediction_id, id, label, time_us) "
                + "SELECT feature, -1, prediction_id, id, label, time_us FROM `{database}`.`outcomes`"
        ),
    ];

    /// <summary>The latest migration's version.</summary>
    public static int Latest => Steps[^1].Version;

    /// <summary>The statements that create the database and the migrations table when they are missing.</summary>
    public static IEnumerable<string> Bootstrap(string database, string? cluster, bool replicated)
    {
        yield return $"CREATE DATABASE IF NOT EXISTS `{database}`{OnCluster(cluster)}";
        foreach (var statement in Create(Migrations, database, cluster, replicated))
        {
            yield return statement;
        }
    }

    /// <summary>
    /// The statements of each migration after <paramref name="applied"/>, by version, in order, each with a query that
    /// counts more than 0 when its work is already done (a column another instance, or a run cut short, added), or null.
    /// </summary>
    /// <remarks>
    /// A new database (no migration applied) gets every table at once with the columns later migrations add, and those
    /// migrations are recorded with no statement: ClickHouse 18.16's <c>ALTER … ON CLUSTER</c> on a replicated table
    /// races between the replicas of a shard ("Node exists … /executed"), which can stop a replica's DDL worker for good,
    /// so only a database made by an earlier version runs the ALTERs, once.
    /// </remarks>
    public static IEnumerable<(int Version, MigrationStatement[] Statements)> After(
        IReadOnlySet<int> applied,
        string database,
        string? cluster,
        bool replicated
    )
    {
        if (!applied.Contains(Steps[0].Version))
        {
            var tables = Steps.SelectMany(s => s.Tables).Select(t => t with { Columns = Columns(t, Latest) });
            yield return (
                Steps[0].Version,
                [
                    .. tables
                        .SelectMany(t => Create(t, database, cluster, replicated))
                        .Select(sql => new MigrationStatement(sql)),
                ]
            );
            foreach (var later in Steps.Skip(1))
            {
                yield return (later.Version, []);
            }
            yield break;
        }
        foreach (var step in Upgrade(applied, database, cluster, replicated))
        {
            yield return step;
        }
    }

    /// <summary>The columns of <paramref name="made"/> once every migration up to <paramref name="version"/> has added its own.</summary>
    private static string Columns(Table made, int version) =>
        string.Join(
            ", ",
            Steps
                .Where(s => s.Version <= version)
                .SelectMany(s => s.Added ?? [])
                .Where(a => a.Table == made.Name)
                .Select(a => a.Column)
                .Prepend(made.Columns)
        );

    /// <summary>The statements of each migration after <paramref name="applied"/> (a database an earlier version made).</summary>
    private static IEnumerable<(int Version, MigrationStatement[] Statements)> Upgrade(
        IReadOnlySet<int> applied,
        string database,
        string? cluster,
        bool replicated
    ) =>
        Steps
            .Where(s => !applied.Contains(s.Version))
            .Select(s =>
                (
                    s.Version,
                    s.Tables.SelectMany(t => Create(t, database, cluster, replicated))
                        .Select(sql => new MigrationStatement(sql))
                        .Concat(Add(s, database, cluster, replicated))
                        .Concat(
                            s.Backfill is { } backfill
                                ?
                                [
                                    new MigrationStatement(
                                        backfill.Replace("{database}", database, StringComparison.Ordinal)
                                    ),
                                ]
                                : []
                        )
                        .ToArray()
                )
            );

    /// <summary>
    /// The statements that add a step's columns, each with the query that finds its work already done (ClickHouse 18.16
    /// has no <c>ADD COLUMN IF NOT EXISTS</c>; a run cut short, or another instance, may have added them). The local
    /// table takes <c>ALTER … ADD COLUMN</c>: on replicated shards once per shard, on one of its servers without
    /// <c>ON CLUSTER</c> (the shard's other replicas take it from ZooKeeper), since 18.16's distributed DDL runs an ALTER
    /// of a replicated table with a race between the replicas of a shard ("Node exists … /executed") that can stop a
    /// replica's DDL worker for good; on shards without replicas <c>ON CLUSTER</c>. 18.16 refuses ALTER ON CLUSTER on a
    /// Distributed table over replicated shards, so on a cluster the Distributed table, which holds no rows (inserts are
    /// synchronous), is dropped and made again with every column.
    /// </summary>
    private static IEnumerable<MigrationStatement> Add(Step step, string database, string? cluster, bool replicated)
    {
        string Has(string table, string column) =>
            $"SELECT count() FROM system.columns WHERE database = {ClickHouseSql.Literal(database)} "
            + $"AND table = {ClickHouseSql.Literal(table)} "
            + $"AND name = {ClickHouseSql.Literal(column[..column.IndexOf(' ', StringComparison.Ordinal)])}";
        var added = step.Added ?? [];
        var perShard = cluster is not null && replicated;
        foreach (var (table, column) in added)
        {
            var local = Local(table, cluster);
            yield return new MigrationStatement(
                $"ALTER TABLE {Name(database, local)}{(perShard ? "" : OnCluster(cluster))} ADD COLUMN {column}",
                Has(local, column),
                perShard
            );
        }
        if (cluster is null)
        {
            yield break;
        }
        foreach (var table in added.Select(a => a.Table).Distinct(StringComparer.Ordinal))
        {
            var made = Steps.SelectMany(s => s.Tables).Single(t => t.Name == table);
            var columns = Columns(made, step.Version);
            var done = Has(table, added.Last(a => a.Table == table).Column);
            yield return new MigrationStatement(
                $"DROP TABLE IF EXISTS {Name(database, table)}{OnCluster(cluster)}",
                done
            );
            yield return new MigrationStatement(Distributed(made with { Columns = columns }, database, cluster), done);
        }
    }

    /// <summary>The name queries use for a table: the Distributed one on a cluster, else the table itself.</summary>
    public static string Name(string database, string table) => $"`{database}`.`{table}`";

    /// <summary>The name of a table's rows on one server: the <c>_local</c> table on a cluster, else the
    /// table.</summary>
    public static string Local(string table, string? cluster) => cluster is null ? table : table + "_local";

    /// <summary>Whether a local table's engine (as <c>system.tables</c> names it) replicates.</summary>
    public static bool IsReplicated(string engine) => engine.StartsWith("Replicated", StringComparison.Ordinal);

    private static IEnumerable<string> Create(Table table, string database, string? cluster, bool replicated)
    {
        var local = Local(table.Name, cluster);
        // Each shard's replicas share one ZooKeeper path; the servers fill in their own {shard} and {replica}.
        var engine = replicated
            ? $"ReplicatedReplacingMergeTree('/clickhouse/tables/{{shard}}/{database}/{local}', '{{replica}}'"
                + (table.Version is null ? ")" : $", {table.Version})")
            : "ReplacingMergeTree" + (table.Version is null ? "" : $"({table.Version})");
        yield return $"CREATE TABLE IF NOT EXISTS {Name(database, local)}{OnCluster(cluster)} ({table.Columns}) "
            + $"ENGINE = {engine} {table.Layout}";
        if (cluster is not null)
        {
            yield return Distributed(table, database, cluster);
        }
    }

    private static string Distributed(Table table, string database, string cluster) =>
        $"CREATE TABLE IF NOT EXISTS {Name(database, table.Name)}{OnCluster(cluster)} ({table.Columns}) "
        + $"ENGINE = Distributed(`{cluster}`, `{database}`, `{Local(table.Name, cluster)}`, {table.ShardKey})";

    /// <summary>The clause that runs a statement on every server of <paramref name="cluster"/>; none on one
    /// server.</summary>
    public static string OnCluster(string? cluster) => cluster is null ? "" : $" ON CLUSTER `{cluster}`";
}

/// <summary>
/// One statement of a migration: its SQL; a query that counts more than 0 when its work is already done (a column another
/// instance, or a run cut short, added), or null; and whether it is sent to one server of each shard (an ALTER of a
/// replicated table, see <see cref="ClickHouseSchema"/>), with its done query asked of that server.
/// </summary>
internal sealed record MigrationStatement(string Sql, string? Done = null, bool PerShard = false);
