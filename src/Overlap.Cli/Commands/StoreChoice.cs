using System.CommandLine;
using Overlap.Storage;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Overlap.Cli.Commands;

/// <summary>
/// Where a server-side command (<c>serve</c>, <c>keys</c>, <c>users</c>) keeps its data: the embedded store in
/// <c>--data</c>, or PostgreSQL (state) and ClickHouse (events) named by <c>--postgres</c> and <c>--clickhouse</c>
/// (with <c>--clickhouse-cluster</c> for a cluster). Each setting is taken from the command line, else from an
/// environment variable (<see cref="PostgresVariable"/>, <see cref="ClickHouseVariable"/>,
/// <see cref="ClusterVariable"/>), else from the settings file <c>--settings FILE</c>, so a password need not appear in a
/// process list. The two servers go together: one without the other is a usage error.
/// </summary>
internal sealed class StoreChoice
{
    /// <summary>The environment variable for <c>--postgres</c>.</summary>
    public const string PostgresVariable = "OVERLAP_POSTGRES";

    /// <summary>The environment variable for <c>--clickhouse</c>.</summary>
    public const string ClickHouseVariable = "OVERLAP_CLICKHOUSE";

    /// <summary>The environment variable for <c>--clickhouse-cluster</c>.</summary>
    public const string ClusterVariable = "OVERLAP_CLICKHOUSE_CLUSTER";

    /// <summary>The environment variable for <c>--settings</c>.</summary>
    public const string SettingsVariable = "OVERLAP_SETTINGS";

    /// <summary>The keys a settings file may hold.</summary>
    private static readonly string[] SettingsKeys = ["data", "postgres", "clickhouse", "clickhouse_cluster"];

    private readonly Option<string?> _data = new("--data")
    {
        Description =
            "The folder holding the embedded store (created when missing); with --postgres and --clickhouse, this instance's ingest log. Default: overlap-data.",
    };

    private readonly Option<string?> _postgres = new("--postgres")
    {
        Description =
            $"A PostgreSQL connection string (Host=…;Port=5432;Username=…;Password=…;Database=…) for contracts, users, keys, review and reports; needs --clickhouse. Also ${PostgresVariable}.",
    };

    private readonly Option<string?> _clickHouse = new("--clickhouse")
    {
        Description =
            $"A ClickHouse HTTP address (http://host:8123, user and password as URL user info) for predictions, outcomes and feedback; needs --postgres. On a replicated cluster, add a server of every other shard after it, separated by commas: erasure, and an upgrade that adds columns, run on one server of each shard. Also ${ClickHouseVariable}.",
    };

    private readonly Option<string?> _cluster = new("--clickhouse-cluster")
    {
        Description =
            $"The ClickHouse cluster (remote_servers) to spread events over, with a Distributed table; without it, one server. Also ${ClusterVariable}.",
    };

    private readonly Option<string?> _settings = new("--settings")
    {
        Description =
            $"A YAML file with any of data, postgres, clickhouse, clickhouse_cluster; the command line and environment win over it. Also ${SettingsVariable}.",
    };

    /// <summary>The options, to add to a command.</summary>
    public IEnumerable<Option> Options => [_data, _postgres, _clickHouse, _cluster, _settings];

    /// <summary>Adds <see cref="Options"/> to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in Options)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// The store the command line, the environment and the settings file name, in that order; a usage error (exit 64)
    /// when only one of the two servers is named or the settings file is not valid, exit 66 when it is missing.
    /// </summary>
    public StorageOptions Resolve(ParseResult parse, Func<string, string?> environment, bool mustExist)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(environment);
        var settingsPath = Blank(parse.GetValue(_settings)) ?? Blank(environment(SettingsVariable));
        var file = settingsPath is null ? new Dictionary<string, string>() : ReadSettings(settingsPath);
        string? Pick(Option<string?> option, string? variable, string key) =>
            Blank(parse.GetValue(option))
            ?? (variable is null ? null : Blank(environment(variable)))
            ?? file.GetValueOrDefault(key);
        var data = Pick(_data, null, "data") ?? "overlap-data";
        var postgres = Pick(_postgres, PostgresVariable, "postgres");
        var clickHouse = Pick(_clickHouse, ClickHouseVariable, "clickhouse");
        var cluster = Pick(_cluster, ClusterVariable, "clickhouse_cluster");
        if (postgres is null != clickHouse is null)
        {
            var (given, missing) = postgres is null
                ? ("--clickhouse", $"--postgres (or ${PostgresVariable})")
                : ("--postgres", $"--clickhouse (or ${ClickHouseVariable})");
            throw new UserException(
                ExitCodes.Usage,
                $"{given} needs {missing}: PostgreSQL keeps the state and ClickHouse the events, so name both, or neither for the embedded store in --data"
            );
        }
        if (cluster is not null && clickHouse is null)
        {
            throw new UserException(
                ExitCodes.Usage,
                "--clickhouse-cluster needs --clickhouse and --postgres: it names the cluster of the ClickHouse server they point at"
            );
        }
        return postgres is null
            ? new StorageOptions { Location = data, MustExist = mustExist }
            : new StorageOptions
            {
                Backend = StorageBackend.Server,
                Location = data,
                MustExist = mustExist,
                Postgres = postgres,
                ClickHouse = clickHouse,
                ClickHouseCluster = cluster,
            };
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>The settings file's keys and values; every key must be one of <see cref="SettingsKeys"/>.</summary>
    private static Dictionary<string, string> ReadSettings(string path)
    {
        if (!File.Exists(path))
        {
            throw new UserException(
                ExitCodes.NoInput,
                $"the settings file {path} does not exist; pass an existing YAML file to --settings (or ${SettingsVariable})"
            );
        }
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new UserException(
                ExitCodes.Usage,
                $"the settings file {path} is not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}"
            );
        }
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        if (stream.Documents.Count == 0)
        {
            return settings;
        }
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new UserException(
                ExitCodes.Usage,
                $"the settings file {path} must be a mapping of keys to values ({string.Join(", ", SettingsKeys)})"
            );
        }
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!SettingsKeys.Contains(key, StringComparer.Ordinal))
            {
                throw new UserException(
                    ExitCodes.Usage,
                    $"the settings file {path} has '{key}' at line {keyNode.Start.Line}, which is not a setting; the settings are {string.Join(", ", SettingsKeys)}"
                );
            }
            if (valueNode is not YamlScalarNode { Value: { } value })
            {
                throw new UserException(
                    ExitCodes.Usage,
                    $"the settings file {path} gives '{key}' at line {keyNode.Start.Line} a list or mapping; write one text value"
                );
            }
            if (Blank(value) is { } given)
            {
                settings[key] = given;
            }
        }
        return settings;
    }
}
