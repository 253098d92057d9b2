using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Overlap.Events;
using Overlap.Storage;

namespace Overlap.Benchmarks;

/// <summary>
/// Loading history into the embedded store, in process, as the server's loader does: loads of 100,000 events (50,000
/// predictions and the 50,000 outcomes that label them, sent without a feature, as the load generator sends them),
/// each day timed, with the process's resident memory sampled every 200 ms. With <c>--counts</c> another task asks
/// for the feature's counts in a loop meanwhile, as a client polling <c>/counts</c> does; with <c>--backfill</c> every
/// load is received within minutes (the whole history inside the dedup horizon, as when the load generator sends 30
/// days in minutes), otherwise each day is received the day after it; with <c>--review</c> the review scheduler's
/// pass runs every 5 s meanwhile.
/// <code>
/// dotnet run -c Release --project bench/Overlap.Benchmarks -- history --data DIR [--days 10] [--per-day 1000000] [--counts] [--backfill] [--review]
/// </code>
/// </summary>
internal static class HistoryRun
{
    private const string Feature = "payments-fraud";
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        var folder = Arg("--data", "");
        if (folder.Length == 0 || Directory.Exists(folder))
        {
            Console.Error.WriteLine(
                "error: --data DIR is required and must not exist yet (the history is loaded anew)"
            );
            return 64;
        }
        var days = int.Parse(Arg("--days", "10"), CultureInfo.InvariantCulture);
        var perDay = int.Parse(Arg("--per-day", "1000000"), CultureInfo.InvariantCulture);
        var counts = args.Contains("--counts");
        var backfill = args.Contains("--backfill");
        var review = args.Contains("--review");
        Directory.CreateDirectory(folder);
        await using var services = new ServiceCollection()
            .AddOverlapStorage(new StorageOptions { Location = folder })
            .BuildServiceProvider();
        var sink = services.GetRequiredService<IEventSink>();
        var reader = services.GetRequiredService<IEventReader>();
        using var stop = new CancellationTokenSource();
        var peak = 0L;
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, LabelledDays.MiB("VmRSS"));
                await Task.Delay(200).ConfigureAwait(false);
            }
        });
        var countTimes = new List<double>();
        var poller = counts
            ? Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var clock = Stopwatch.StartNew();
                    await reader.CountAsync(Feature).ConfigureAwait(false);
                    lock (countTimes)
                    {
                        countTimes.Add(clock.Elapsed.TotalSeconds);
                    }
                    await Task.Delay(1000).ConfigureAwait(false);
                }
            })
            : Task.CompletedTask;
        // The review scheduler's pass, every 5 s, with the example contract's rules (the 0.4 to 0.6 band, a 1% sample).
        var routes = review
            ? Task.Run(async () =>
            {
                var queue = services.GetRequiredService<IReviewStore>();
                while (!stop.IsCancellationRequested)
                {
                    await queue
                        .RouteForReviewAsync(Feature, 0.4, 0.6, 0.01, 0, Start.AddDays(days + 2))
                        .ConfigureAwait(false);
                    await Task.Delay(5000).ConfigureAwait(false);
                }
            })
            : Task.CompletedTask;
        const int Half = 50_000;
        var total = Stopwatch.StartNew();
        for (var day = 0; day < days; day++)
        {
            var clock = Stopwatch.StartNew();
            var slowest = 0.0;
            for (var first = (long)day * perDay; first < (long)(day + 1) * perDay; first += Half)
            {
                var batch = LabelledDays.Batch(
                    Feature,
                    Start,
                    first,
                    (int)Math.Min(Half, ((long)(day + 1) * perDay) - first),
                    perDay,
                    outcomeFeature: false
                );
                var load = Stopwatch.StartNew();
                // Each load is received a little after the last, as the server's loader stamps them.
                var received = (backfill ? Start.AddDays(days + 1) : Start.AddDays(day + 1)).AddSeconds(
                    first / (double)Half
                );
                await sink.AppendAsync(batch, received);
                slowest = Math.Max(slowest, load.Elapsed.TotalSeconds);
            }
            peak = Math.Max(peak, LabelledDays.MiB("VmRSS"));
            string countNote;
            lock (countTimes)
            {
                countNote =
                    countTimes.Count == 0
                        ? ""
                        : $"; counts asked {countTimes.Count} times so far, last {countTimes[^1]:F1} s";
            }
            Console.WriteLine(
                $"day {day + 1, 3}      {perDay:N0} labelled in {clock.Elapsed.TotalSeconds:F1} s (slowest load {slowest:F2} s); resident {LabelledDays.MiB("VmRSS"):N0} MiB, peak {peak:N0} MiB, managed {GC.GetTotalMemory(false) / 1048576:N0} MiB{countNote}"
            );
        }
        await stop.CancelAsync();
        await Task.WhenAll(sampler, poller, routes);
        var countClock = Stopwatch.StartNew();
        var stored = await reader.CountAsync(Feature);
        Console.WriteLine(
            $"loaded       {stored.Predictions:N0} predictions, {stored.Labelled:N0} labelled, in {total.Elapsed.TotalSeconds:F0} s; counts {countClock.Elapsed.TotalSeconds:F1} s; peak resident {peak:N0} MiB"
        );
        return 0;
    }
}
