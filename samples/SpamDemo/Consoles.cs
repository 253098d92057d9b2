using Spectre.Console;

namespace Overlap.Demo;

/// <summary>The console the demo talks to people on: colours and progress bars on a terminal, plain lines elsewhere.</summary>
internal static class Consoles
{
    /// <summary>A console writing to <paramref name="writer"/>; interactive only when it is the process's own terminal.</summary>
    public static IAnsiConsole Create(TextWriter writer)
    {
        var output = new AnsiConsoleOutput(writer);
        var terminal = output.IsTerminal;
        var console = AnsiConsole.Create(
            new AnsiConsoleSettings
            {
                Out = output,
                Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
                ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
                Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
            }
        );
        // Files and CI logs have no width; 80 columns would wrap every sentence and table cell.
        console.Profile.Width = terminal ? console.Profile.Width : 120;
        return console;
    }
}
