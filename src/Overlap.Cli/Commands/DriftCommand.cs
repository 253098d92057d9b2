using System.CommandLine;

namespace Overlap.Cli.Commands;

internal static class DriftCommand
{
    public static Command Create(CliIo io)
    {
        _ = io;
        return new Command("drift", "todo");
    }
}
