using Overlap.Core.Text;
using Spectre.Console;

namespace Overlap.Cli;

/// <summary>Where a command writes: machine output to <see cref="Out"/>, everything for people to <see cref="Err"/>.</summary>
internal sealed class CliIo(TextWriter stdout, TextWriter stderr, TextReader? stdin = null)
{
    /// <summary>Standard input (a secret piped in, such as <c>--password-stdin</c>).</summary>
    public TextReader In { get; } = stdin ?? Console.In;

    public TextWriter Out { get; } = stdout;

    /// <summary>The clock reports are stamped with.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The environment variables (the process's, or a test's).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>
    /// Makes the sentence embedder for <c>similar_to</c> checks, called only when a contract has one; null when none is
    /// available. The seam for the embedding model: <see cref="TextEmbedders.Create"/> by default.
    /// </summary>
    public Func<ITextEmbedder?> Embedder { get; init; } = TextEmbedders.Create;

    /// <summary>True when a person can answer questions: standard input is the console's, not redirected.</summary>
    public bool CanAsk { get; } = stdin is null && !Console.IsInputRedirected;

    public TextWriter ErrWriter { get; } = stderr;

    /// <summary>Console for people, on stderr; plain text when stderr is not a terminal.</summary>
    public IAnsiConsole Err { get; } = Create(stderr);

    /// <summary>Console for the text report, on stdout; colours only on a terminal.</summary>
    public IAnsiConsole OutConsole { get; } = Create(stdout);

    private static IAnsiConsole Create(TextWriter writer)
    {
        var interactive = ReferenceEquals(writer, Console.Out)
            ? !Console.IsOutputRedirected
            : ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected;
        var console = AnsiConsole.Create(
            new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(writer),
                Ansi =
                    interactive && System.Environment.GetEnvironmentVariable("NO_COLOR") is null
                        ? AnsiSupport.Detect
                        : AnsiSupport.No,
                ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
                Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
            }
        );
        if (!interactive)
        {
            // Files and CI logs have no width; 80 columns would wrap every sentence and table cell.
            console.Profile.Width = 120;
        }
        return console;
    }
}
