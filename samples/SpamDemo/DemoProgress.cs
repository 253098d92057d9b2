using Spectre.Console;

namespace Overlap.Demo;

/// <summary>Shows the demo's steps as it runs: a bar per step on a terminal, plain lines (the replay every 10%) in logs and CI.</summary>
internal static class DemoProgress
{
    /// <summary>Runs <paramref name="run"/> with the progress display that suits <paramref name="console"/>.</summary>
    public static async Task<T> RunAsync<T>(IAnsiConsole console, TextWriter plain, Func<IDemoProgress, Task<T>> run)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            return await run(new PlainProgress(plain)).ConfigureAwait(false);
        }
        T result = default!;
        await console
            .Progress()
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn()
            )
            .StartAsync(async context =>
            {
                var bar = new BarProgress(context, console);
                result = await run(bar).ConfigureAwait(false);
                bar.Complete();
            })
            .ConfigureAwait(false);
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
