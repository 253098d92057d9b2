using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Overlap.Cli.Demo;
using Overlap.Demo.Corpus;
using Spectre.Console;

namespace Overlap.Cli.Commands;

/// <summary>
/// <c>overlap demo</c>: the whole loop on real mail with a real model (see <see cref="DemoRun"/>), then the dashboard
/// until Ctrl-C; <c>--no-serve</c> stops after writing the reports.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The file that marks a folder as the demo's own, so a run may empty it.</summary>
    private const string Marker = ".overlap-demo";

    public static Command Create(CliIo io)
    {
        var data = new Option<string>("--data") { Description = "The demo's data folder (emptied and filled anew on every run).", DefaultValueFactory = _ => "overlap-demo" };
        var urls = ServeCommand.UrlsOption("Where the dashboard listens (port 0 picks a free one).");
        var cache = new Option<string?>("--cache") { Description = "Where the SpamAssassin corpus is kept after its first download (default: ~/.cache/overlap/spam-assassin)." };
        var reports = new Option<string?>("--reports") { Description = "Where the reports go (default: DATA/reports)." };
        var noServe = new Option<bool>("--no-serve") { Description = "Stop after the reports are written, instead of serving the dashboard until Ctrl-C." };
        var slice = new Option<double>("--slice") { Description = "The share of the later mail to replay, for a quicker run (0.05 to 1).", DefaultValueFactory = _ => 1 };
        var seconds = new Option<int>("--seconds") { Description = "How long the replay of the later mail takes.", DefaultValueFactory = _ => 75 };
        var command = new Command("demo", "Run Overlap end to end on a real spam filter: train it, judge it, serve it, replay months of mail, review, alert, retrain.")
        {
            data, urls, cache, reports, noServe, slice, seconds,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var folder = Path.GetFullPath(parse.GetValue(data)!);
            if (parse.GetValue(slice) is var share && (double.IsNaN(share) || share < 0.05 || share > 1))
            {
                throw new UserException(ExitCodes.Usage, $"--slice is {share.ToString(CultureInfo.InvariantCulture)}; give a share between 0.05 and 1, such as 0.3");
            }
            if (parse.GetValue(seconds) is < 5 or > 3600)
            {
                throw new UserException(ExitCodes.Usage, "--seconds is between 5 and 3600");
            }
            PrepareFolder(folder);
            var options = new DemoOptions
            {
                DataFolder = folder,
                ReportFolder = Path.GetFullPath(parse.GetValue(reports) ?? Path.Combine(folder, "reports")),
                CacheFolder = parse.GetValue(cache),
                Urls = parse.GetValue(urls)!,
                Slice = share,
                ReplayTime = TimeSpan.FromSeconds(parse.GetValue(seconds)),
            };
            DemoRun.Served served;
            try
            {
                served = await WithProgressAsync(io, p => new DemoRun(options, p).RunAsync(cancellationToken)).ConfigureAwait(false);
            }
            catch (SpamCorpusException e)
            {
                throw new UserException(ExitCodes.Unavailable, e.Message);
            }
            catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                throw new UserException(ExitCodes.Unavailable, $"{options.Urls} is in use by another program; pick a free address with --urls, e.g. --urls http://127.0.0.1:5081");
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException)
            {
                // The demo talks to its own server; a failure there is a bug to report, said in one line.
                throw new UserException(ExitCodes.Software, $"the demo stopped: {e.Message}; the reports so far are in {options.ReportFolder}. Run it again, and report it if it keeps happening.");
            }
            await using (served.App.ConfigureAwait(false))
            {
                DemoReport.Print(io.Err, served.Summary, options.ReportFolder);
                if (parse.GetValue(noServe))
                {
                    await served.App.StopAsync(CancellationToken.None).ConfigureAwait(false);
                    return ExitCodes.Pass;
                }
                io.Err.MarkupLine($"The dashboard is at [bold]{Markup.Escape(served.Address.ToString())}[/]; sign in with this admin key:");
                await io.Out.WriteLineAsync(served.AdminKey).ConfigureAwait(false);
                await io.ErrWriter.WriteLineAsync("It keeps serving until Ctrl-C.").ConfigureAwait(false);
                try
                {
                    await served.App.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    await served.App.StopAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
            return ExitCodes.Pass;
        });
        return command;
    }

    /// <summary>Empties the demo's own folder from an earlier run; refuses a folder that holds anything else.</summary>
    private static void PrepareFolder(string folder)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            if (!File.Exists(Path.Combine(folder, Marker)))
            {
                throw new UserException(ExitCodes.Usage, $"{folder} holds files that are not the demo's; pick an empty or new folder with --data");
            }
            Directory.Delete(folder, recursive: true);
        }
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, Marker), "This folder is overlap demo's; the next run empties it.\n");
    }

    private static async Task<T> WithProgressAsync<T>(CliIo io, Func<IDemoProgress, Task<T>> run)
    {
        if (!io.Err.Profile.Capabilities.Interactive)
        {
            return await run(new PlainProgress(io.ErrWriter)).ConfigureAwait(false);
        }
        T result = default!;
        await io.Err.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var bar = new BarProgress(context, io.Err);
                result = await run(bar).ConfigureAwait(false);
                bar.Complete();
            }).ConfigureAwait(false);
        return result;
    }

    /// <summary>Steps as lines, the replay every 10%: for logs and CI.</summary>
    private sealed class PlainProgress(TextWriter err) : IDemoProgress
    {
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private int _tenths = -1;

        public void Step(string description)
        {
            _tenths = -1;
            err.WriteLine($"- [{_clock.Elapsed.TotalSeconds:0} s] {description}");
        }

        public void Report(double share)
        {
            var tenths = (int)Math.Floor(share * 10);
            if (tenths > _tenths)
            {
                _tenths = tenths;
                err.WriteLine($"  {tenths * 10}%");
            }
        }

        public void Say(string line) => err.WriteLine($"  {line}");
    }

    /// <summary>A bar per step on a terminal.</summary>
    private sealed class BarProgress(ProgressContext context, IAnsiConsole console) : IDemoProgress
    {
        private ProgressTask? _task;

        public void Step(string description)
        {
            Complete();
            _task = context.AddTask(Markup.Escape(description), maxValue: 1);
        }

        public void Complete()
        {
            if (_task is { } done)
            {
                done.Value = done.MaxValue;
                done.StopTask();
            }
        }

        public void Report(double share)
        {
            if (_task is { } task)
            {
                task.Value = Math.Clamp(share, 0, 1);
            }
        }

        public void Say(string line) => console.MarkupLine($"[grey]{Markup.Escape(line)}[/]");
    }
}
