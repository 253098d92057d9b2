using System.CommandLine;

namespace Overlap.Cli.Commands;

internal static class PlanCommand
{
    public static Command Create(CliIo io)
    {
        _ = io;
        return new Command("plan", "todo");
    }
}
