using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Overlap.Server;

namespace Overlap.Cli.Commands;

/// <summary><c>overlap serve [--data DIR] [--urls URL]</c>: the server on the embedded store, until Ctrl-C.</summary>
internal static class ServeCommand
{
    public static Command Create(CliIo io)
    {
        var data = DataOption();
        var urls = new Option<string>("--urls") { Description = "Where to listen (port 0 picks a free one).", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var allow = WebhookAllowOption();
        var command = new Command("serve", "Run the Overlap server (ingest, contracts, monitoring) on the embedded store in --data.") { data, urls, allow };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ServerOptions { DataFolder = parse.GetValue(data)!, Urls = parse.GetValue(urls)!, WebhookAllow = parse.GetValue(allow) ?? [] };
            var app = await OverlapServer.BuildAsync(options, cancellationToken).ConfigureAwait(false);
            await using (app.ConfigureAwait(false))
            {
                try
                {
                    await app.StartAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
                {
                    throw new UserException(ExitCodes.Unavailable, $"{options.Urls} is in use by another program; pick a free address with --urls, e.g. --urls http://127.0.0.1:5081");
                }
                await io.ErrWriter.WriteLineAsync($"Overlap is serving at {string.Join(", ", OverlapServer.Addresses(app))} (data in {Path.GetFullPath(options.DataFolder)}). Ctrl-C stops it.").ConfigureAwait(false);
                try
                {
                    await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
            return ExitCodes.Pass;
        });
        return command;
    }

    /// <summary><c>--webhook-allow HOST|CIDR</c>, repeatable: in-house receivers alerts may reach although their addresses are not public.</summary>
    private static Option<string[]> WebhookAllowOption()
    {
        var allow = new Option<string[]>("--webhook-allow")
        {
            Description = "A host or address range (e.g. hooks.internal, 10.0.0.0/8) alert webhooks may reach although it is loopback, private or this server; repeat for more. By default webhooks reach only public addresses.",
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

    /// <summary>The <c>--data</c> option every server-side command shares.</summary>
    public static Option<string> DataOption() => new("--data") { Description = "The folder holding the store (created when missing).", DefaultValueFactory = _ => "overlap-data" };
}
