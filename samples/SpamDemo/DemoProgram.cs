using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Overlap.Demo.Corpus;
using Spectre.Console;

namespace Overlap.Demo;

/// <summary>
/// The sample's command line: the whole loop on real mail with a real model (see <see cref="DemoRun"/>), then the
/// dashboard until Ctrl-C; <c>--no-serve</c> stops after writing the reports. Every failure is one line on stderr and
/// an exit code (<see cref="DemoExitCodes"/>).
/// </summary>
internal static class DemoProgram
{
    /// <summary>The file that marks a folder as the demo's own, so a run may empty it.</summary>
    private const string Marker = ".overlap-demo";

    /// <summary>Runs the demo with <paramref name="args"/>, writing the admin key to <paramref name="stdout"/> and everything for people to <paramref name="stderr"/>.</summary>
    public static async Task<int> RunAsync(
        string[] args,
        TextWriter stdout,
        TextWriter stderr,
        CancellationToken cancellationToken = default
    )
    {
        var console = Consoles.Create(stderr);
        var parse = Command(stdout, stderr, console).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }
            await stderr
                .WriteLineAsync("Run 'dotnet run --project samples/SpamDemo -- --help' for usage.")
                .ConfigureAwait(false);
            return DemoExitCodes.Usage;
        }
        try
        {
            var config = new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            };
            return await parse.InvokeAsync(config, cancellationToken).ConfigureAwait(false);
        }
        catch (DemoException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("cancelled").ConfigureAwait(false);
            return DemoExitCodes.Cancelled;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return DemoExitCodes.CantCreate;
        }
    }

    private static RootCommand Command(TextWriter stdout, TextWriter stderr, IAnsiConsole console)
    {
        var data = new Option<string>("--data")
        {
            Description = "The demo's data folder (emptied and filled anew on every run).",
            DefaultValueFactory = _ => "overlap-demo",
        };
        var urls = new Option<string>("--urls")
        {
            Description = "Where the dashboard listens (port 0 picks a free one).",
            DefaultValueFactory = _ => "http://127.0.0.1:5080",
        };
        var cache = new Option<string?>("--cache")
        {
            Description =
                "Where the SpamAssassin corpus is kept after its first download (default: ~/.cache/overlap/spam-assassin).",
        };
        var reports = new Option<string?>("--reports")
        {
            Description = "Where the reports go (default: DATA/reports).",
        };
        var noServe = new Option<bool>("--no-serve")
        {
            Description = "Stop after the reports are written, instead of serving the dashboard until Ctrl-C.",
        };
        var slice = new Option<double>("--slice")
        {
            Description = "The share of the later mail to replay, for a quicker run (0.05 to 1).",
            DefaultValueFactory = _ => 1,
        };
        var seconds = new Option<int>("--seconds")
        {
            Description = "How long the replay of the later mail takes.",
            DefaultValueFactory = _ => 75,
        };
        var command = new RootCommand(
            "Overlap's spam-filter demo, end to end on real mail: train a model, judge it, serve it, replay months of mail, review, alert, retrain."
        )
        {
            data,
            urls,
            cache,
            reports,
            noServe,
            slice,
            seconds,
        };
        command.SetAction(
            async (parse, cancellationToken) =>
            {
                var folder = Path.GetFullPath(parse.GetValue(data)!);
                if (parse.GetValue(slice) is var share && (double.IsNaN(share) || share < 0.05 || share > 1))
                {
                    throw new DemoException(
                        DemoExitCodes.Usage,
                        $"--slice is {share.ToString(CultureInfo.InvariantCulture)}; give a share between 0.05 and 1, such as 0.3"
                    );
                }
                if (parse.GetValue(seconds) is < 5 or > 3600)
                {
                    throw new DemoException(DemoExitCodes.Usage, "--seconds is between 5 and 3600");
                }
                var address = parse.GetValue(urls)!;
                if (
                    !Uri.TryCreate(address, UriKind.Absolute, out var uri)
                    || !uri.Scheme.StartsWith("http", StringComparison.OrdinalIgnoreCase)
                )
                {
                    throw new DemoException(
                        DemoExitCodes.Usage,
                        $"--urls '{address}' is not an address to listen on; write a scheme, host and port such as http://127.0.0.1:5080"
                    );
                }
                PrepareFolder(folder);
                var options = new DemoOptions
                {
                    DataFolder = folder,
                    ReportFolder = Path.GetFullPath(parse.GetValue(reports) ?? Path.Combine(folder, "reports")),
                    CacheFolder = parse.GetValue(cache),
                    Urls = address,
                    Slice = share,
                    ReplayTime = TimeSpan.FromSeconds(parse.GetValue(seconds)),
                };
                var served = await RunLoopAsync(options, console, stderr, cancellationToken).ConfigureAwait(false);
                await using (served.App.ConfigureAwait(false))
                {
                    DemoReport.Print(console, served.Summary, options.ReportFolder);
                    if (parse.GetValue(noServe))
                    {
                        await served.App.StopAsync(CancellationToken.None).ConfigureAwait(false);
                        return DemoExitCodes.Done;
                    }
                    console.MarkupLine(
                        $"The dashboard is at [bold]{Markup.Escape(served.Address.ToString())}[/]; sign in with this admin key:"
                    );
                    await stdout.WriteLineAsync(served.AdminKey).ConfigureAwait(false);
                    await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
                    await stderr.WriteLineAsync("It keeps serving until Ctrl-C.").ConfigureAwait(false);
                    try
                    {
                        await served.App.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        await served.App.StopAsync(CancellationToken.None).ConfigureAwait(false);
                    }
                }
                return DemoExitCodes.Done;
            }
        );
        return command;
    }

    /// <summary>The loop up to a serving server, with what can go wrong on the way said in one line.</summary>
    private static async Task<DemoRun.Served> RunLoopAsync(
        DemoOptions options,
        IAnsiConsole console,
        TextWriter stderr,
        CancellationToken cancellationToken
    )
    {
        try
        {
            return await DemoProgress
                .RunAsync(console, stderr, p => new DemoRun(options, p).RunAsync(cancellationToken))
                .ConfigureAwait(false);
        }
        catch (SpamCorpusException e)
        {
            throw new DemoException(DemoExitCodes.Unavailable, e.Message);
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            throw new DemoException(
                DemoExitCodes.Unavailable,
                $"{options.Urls} is in use by another program; pick a free address with --urls, e.g. --urls http://127.0.0.1:5081"
            );
        }
        catch (Exception e)
            when (e is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException)
        {
            // The demo talks to its own server; a failure there is a bug to report, said in one line.
            throw new DemoException(
                DemoExitCodes.Software,
                $"the demo stopped: {e.Message}; the reports so far are in {options.ReportFolder}. Run it again, and report it if it keeps happening."
            );
        }
    }

    /// <summary>Empties the demo's own folder from an earlier run; refuses a folder that holds anything else.</summary>
    private static void PrepareFolder(string folder)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            if (!File.Exists(Path.Combine(folder, Marker)))
            {
                throw new DemoException(
                    DemoExitCodes.Usage,
                    $"{folder} holds files that are not the demo's; pick an empty or new folder with --data"
                );
            }
            Directory.Delete(folder, recursive: true);
        }
        Directory.CreateDirectory(folder);
        File.WriteAllText(
            Path.Combine(folder, Marker),
            "This folder is the spam-filter demo's; the next run empties it.\n"
        );
    }
}
