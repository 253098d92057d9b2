using System.CommandLine;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Overlap.Server;

namespace Overlap.Cli.Commands;

/// <summary>
/// <c>overlap serve [--data DIR [--dedup-horizon SPAN]] [--postgres CONN --clickhouse URL [--clickhouse-cluster NAME]] [--urls URL]</c>: the
/// server on the embedded store, or on PostgreSQL and ClickHouse (see <see cref="StoreChoice"/>), until Ctrl-C or
/// SIGTERM, which drain the ingest queue and the loader and exit 0. A failure that stops the server on its own is logged with its cause and
/// exits 70, never 0.
/// </summary>
internal static partial class ServeCommand
{
    public static Command Create(CliIo io)
    {
        var data = new StoreChoice();
        var urls = UrlsOption("Where to listen (port 0 picks a free one).");
        var allow = WebhookAllowOption();
        var horizon = DedupHorizonOption();
        var command = new Command(
            "serve",
            "Run the Overlap server (ingest, contracts, monitoring) on the embedded store in --data, or on PostgreSQL and ClickHouse."
        )
        {
            urls,
            allow,
            horizon,
        };
        data.AddTo(command);
        command.SetAction(
            async (parse, cancellationToken) =>
            {
                var storage = data.Resolve(parse, io.Environment, mustExist: false);
                var dedupHorizon = parse.GetValue(horizon);
                if (dedupHorizon is not null && storage.Backend != Overlap.Storage.StorageBackend.DuckDb)
                {
                    throw new UserException(
                        ExitCodes.Usage,
                        "--dedup-horizon is for the embedded store in --data; with --postgres and --clickhouse, ClickHouse removes repeated ids itself, so leave it out"
                    );
                }
                var options = new ServerOptions
                {
                    DataFolder = storage.Location,
                    Postgres = storage.Postgres,
                    ClickHouse = storage.ClickHouse,
                    ClickHouseCluster = storage.ClickHouseCluster,
                    Urls = parse.GetValue(urls)!,
                    WebhookAllow = parse.GetValue(allow) ?? [],
                    DedupHorizon = dedupHorizon ?? Overlap.Storage.StorageOptions.DefaultDedupHorizon,
                    PrivacyKey = io.Environment("OVERLAP_PRIVACY_KEY"),
                };
                var app = await OverlapServer.BuildAsync(options, cancellationToken).ConfigureAwait(false);
                await using (app.ConfigureAwait(false))
                {
                    try
                    {
                        await app.StartAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (IOException e)
                        when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
                    {
                        throw new UserException(
                            ExitCodes.Unavailable,
                            $"{options.Urls} is in use by another program; pick a free address with --urls, e.g. --urls http://127.0.0.1:5081"
                        );
                    }
                    await io
                        .ErrWriter.WriteLineAsync(
                            $"Overlap is serving at {string.Join(", ", OverlapServer.Addresses(app))} ({Where(options)}). Ctrl-C stops it."
                        )
                        .ConfigureAwait(false);
                    try
                    {
                        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
                    }
                    if (OverlapServer.StoppedBy(app.Services) is { } failure)
                    {
                        // The host stops itself when background work fails; that is a failure of the server, never a clean exit.
                        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Overlap.Serve");
                        LogStopped(logger, failure.Service, failure.Exception);
                        throw new UserException(
                            ExitCodes.Software,
                            $"the server stopped because its {failure.Service} failed: {failure.Exception.Message.TrimEnd('.')}; the log above has the details. Start it again, and report it if it keeps happening."
                        );
                    }
                }
                return ExitCodes.Pass;
            }
        );
        return command;
    }

    /// <summary>Where the data is, for the start line: the folder, or the servers (without passwords) and the folder of the ingest log.</summary>
    private static string Where(ServerOptions options) =>
        options.Postgres is null
            ? $"data in {Path.GetFullPath(options.DataFolder)}"
            : $"{options.Storage.Describe()}, ingest log in {Path.GetFullPath(options.DataFolder)}";

    /// <summary><c>--dedup-horizon SPAN</c>: how long the embedded store remembers an event id, as contracts write durations.</summary>
    private static Option<TimeSpan?> DedupHorizonOption()
    {
        var horizon = new Option<TimeSpan?>("--dedup-horizon")
        {
            Description =
                "How long the embedded store remembers an event id (e.g. 7d, 36h): a repeat received within it is a no-op, one received later is stored again and counted once. Default: 7d.",
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                if (Overlap.Core.Contracts.Durations.Parse(text.Trim()) is { } span)
                {
                    return span;
                }
                result.AddError(
                    $"--dedup-horizon '{text}' is not a duration; write a positive number and a unit s, m, h, d or w, such as 7d"
                );
                return null;
            },
        };
        return horizon;
    }

    /// <summary><c>--webhook-allow HOST|CIDR</c>, repeatable: in-house receivers alerts may reach although their addresses are not public.</summary>
    private static Option<string[]> WebhookAllowOption()
    {
        var allow = new Option<string[]>("--webhook-allow")
        {
            Description =
                "A host or address range (e.g. hooks.internal, 10.0.0.0/8) alert webhooks may reach although it is loopback, private or this server; repeat for more. By default webhooks reach only public addresses.",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        allow.Validators.Add(result =>
        {
            foreach (var entry in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (ServerOptions.WebhookAllowError(entry) is { } error)
                {
                    result.AddError($"--webhook-allow {error}.");
                }
            }
        });
        return allow;
    }

    /// <summary>The <c>--urls</c> option of the commands that serve, checked when parsed so a bad address is a usage error, not a stack trace.</summary>
    public static Option<string> UrlsOption(string description)
    {
        var urls = new Option<string>("--urls")
        {
            Description = description,
            DefaultValueFactory = _ => "http://127.0.0.1:5080",
        };
        urls.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>() ?? "";
            foreach (var url in value.Split(';', StringSplitOptions.TrimEntries))
            {
                try
                {
                    if (!BindingAddress.Parse(url).Scheme.StartsWith("http", StringComparison.OrdinalIgnoreCase))
                    {
                        throw new FormatException();
                    }
                }
                catch (FormatException)
                {
                    result.AddError(
                        $"--urls '{url}' is not an address to listen on; write a scheme, host and port such as http://127.0.0.1:5080 (several separated by ;)"
                    );
                    return;
                }
            }
        });
        return urls;
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The server stopped because its {Service} failed")]
    private static partial void LogStopped(ILogger logger, string service, Exception exception);
}
