using System.CommandLine;

namespace Overlap.Cli.Commands;

internal static class EvalCommand
{
    public static Command Create(CliIo io, bool gate)
    {
        _ = io;
        return new Command(gate ? "gate" : "eval", "todo");
    }
}
