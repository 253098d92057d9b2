using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;
using Overlap.Events;
using Overlap.Server.Monitoring;
using Overlap.Storage;

namespace Overlap.Benchmarks;

/// <summary>
/// The cold window on the embedded store, timed in process: one day of N labelled predictions (the load generator's
/// shape: two attributes, one input) stored once in a data folder, then the reference sample read, the window's
/// mergeable summary built from the store, and the window's whole report (summary, drift test on its sample and the
/// evaluation with its bootstrap) computed as the server does when a window is first asked for, each timed, with the
/// process's peak resident memory.
/// <code>
/// dotnet run -c Release --project bench/Overlap.Benchmarks -- window --data DIR [--rows 1000000] [--repeat 3] [--reference-days 1]
/// </code>
/// The first run fills DIR (about a minute for a million); later runs reuse it. With <c>--reference-days 7</c> the
/// reference sample is read over the week that ends with the window, as the server reads a contract's 7-day reference
/// (a store that holds the days before the window: copies of it shifted back a day at a time, say).
/// </summary>
internal static class WindowRun
{
    private static readonly DateTimeOffset Day = new(2026, 1, 10, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        var folder = Arg("--data", "");
        if (folder.Length == 0)
        {
            Console.Error.WriteLine("error: --data DIR is required (a folder to keep the generated day in)");
            return 64;
        }
        var rows = int.Parse(Arg("--rows", "1000000"), CultureInfo.InvariantCulture);
        var repeat = int.Parse(Arg("--repeat", "3"), CultureInfo.InvariantCulture);
        var referenceDays = int.Parse(Arg("--reference-days", "1"), CultureInfo.InvariantCulture);
        var root = FindRoot();
        var yaml = await File.ReadAllTextAsync(Path.Combine(root, "examples", "payments-fraud", "overlap.yaml"));
        var contract = ContractParser.Parse(yaml);
        Directory.CreateDirectory(folder);
        await using var services = new ServiceCollection()
            .AddOverlapStorage(new StorageOptions { Location = folder })
            .BuildServiceProvider();
        var marker = Path.Combine(folder, $"window-{rows}.done");
        if (!File.Exists(marker))
        {
            var fill = Stopwatch.StartNew();
            await FillAsync(services.GetRequiredService<IEventSink>(), contract.Feature, rows);
            await File.WriteAllTextAsync(marker, "");
            Console.WriteLine($"filled       {rows:N0} labelled predictions in {fill.Elapsed.TotalSeconds:F1} s");
        }
        var events = services.GetRequiredService<IEventReader>();
        var window = (Day, Day.AddDays(1));
        var attributes = ProductionWindows.Attributes(contract);
        for (var run = 0; run < repeat; run++)
        {
            var clock = Stopwatch.StartNew();
            var reference = await events.ReadPredictionsAsync(
                contract.Feature,
                window.Item2.AddDays(-referenceDays),
                window.Item2,
                attributes,
                FeatureMonitor.ReferenceSample
            );
            var inputs = ProductionWindows.Inputs(contract, 1, reference, "reference");
            var (calibration, _, _) = ProductionWindows.Calibration(contract, 1, reference);
            var referenceSeconds = clock.Elapsed.TotalSeconds;
            var referencePeak = LabelledDays.MiB("VmHWM");
            clock.Restart();
            var summarised = await WindowComputation.SummarizeAsync(
                events,
                contract,
                1,
                window,
                calibration,
                CancellationToken.None
            );
            var summarySeconds = clock.Elapsed.TotalSeconds;
            var summaryPeak = LabelledDays.MiB("VmHWM");
            clock.Restart();
            var (report, _) = await WindowComputation.ComputeAsync(
                events,
                contract,
                1,
                window,
                new EvaluationOptions(),
                inputs,
                calibration,
                CancellationToken.None
            );
            Console.WriteLine(
                $"run {run + 1}        reference sample {referenceSeconds:F2} s (peak resident {referencePeak:N0} MiB); summary of {summarised?.Summary.Predictions ?? 0:N0} {summarySeconds:F2} s (peak resident {summaryPeak:N0} MiB); report of {report.Predictions:N0} ({report.Labelled:N0} labelled) {clock.Elapsed.TotalSeconds:F2} s; peak resident {LabelledDays.MiB("VmHWM"):N0} MiB, managed now {GC.GetTotalMemory(false) / 1048576:N0} MiB"
            );
        }
        return 0;
    }

    private static async Task FillAsync(IEventSink sink, string feature, int rows)
    {
        const int Batch = 100_000;
        for (var first = 0; first < rows; first += Batch)
        {
            await sink.AppendAsync(
                LabelledDays.Batch(feature, Day, first, Math.Min(Batch, rows - first), rows, outcomeFeature: true),
                Day.AddDays(2)
            );
        }
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Overlap.slnx")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new DirectoryNotFoundException("Overlap.slnx not found above the program");
    }
}
