using System.CommandLine;
using Overlap.Cli.Commands;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Storage;

namespace Overlap.Cli;

/// <summary>The <c>overlap</c> command: parses, runs, and maps every failure to one line and an exit code.</summary>
internal static class OverlapCli
{
    public static Task<int> RunAsync(
        string[] args,
        TextWriter stdout,
        TextWriter stderr,
        CancellationToken cancellationToken = default
    ) => RunAsync(args, null, stdout, stderr, cancellationToken);

    /// <summary>Every command, writing to <paramref name="io"/>.</summary>
    public static RootCommand Root(CliIo io)
    {
        var root = new RootCommand(
            "Overlap: write down what good enough means for an AI feature, prove it before release, and watch it after."
        );
        root.Subcommands.Add(EvalCommand.Create(io, gate: false));
        root.Subcommands.Add(EvalCommand.Create(io, gate: true));
        root.Subcommands.Add(DriftCommand.Create(io));
        root.Subcommands.Add(PlanCommand.Create(io));
        root.Subcommands.Add(ContractCommand.Create(io));
        root.Subcommands.Add(ServeCommand.Create(io));
        root.Subcommands.Add(ExperimentCommand.Create(io));
        root.Subcommands.Add(KeysCommand.Create(io, TimeProvider.System));
        root.Subcommands.Add(UsersCommand.Create(io, TimeProvider.System));
        return root;
    }

    /// <summary>Runs with <paramref name="stdin"/> as standard input (null: the console's).</summary>
    public static Task<int> RunAsync(
        string[] args,
        TextReader? stdin,
        TextWriter stdout,
        TextWriter stderr,
        CancellationToken cancellationToken = default
    ) => RunAsync(args, new CliIo(stdout, stderr, stdin), cancellationToken);

    /// <summary>Runs writing to <paramref name="io"/> (tests set its clock or embedder).</summary>
    public static async Task<int> RunAsync(string[] args, CliIo io, CancellationToken cancellationToken = default)
    {
        var (stdout, stderr) = (io.Out, io.ErrWriter);
        var root = Root(io);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }
            await stderr
                .WriteLineAsync(
                    $"Run 'overlap {string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')))} --help' for usage.".Replace(
                        "  ",
                        " ",
                        StringComparison.Ordinal
                    )
                )
                .ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        try
        {
            // Ctrl-C cancels the token (Program.cs); SIGTERM is left to the server's host, which drains and stops so the
            // command exits 0. System.CommandLine's own handler would end the process with 130 or 143 two seconds after
            // the signal, however far the drain had got.
            var config = new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            };
            return await parse.InvokeAsync(config, cancellationToken).ConfigureAwait(false);
        }
        catch (UserException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (ContractException e)
        {
            // A contract can be refused for several reasons at once: one line each.
            foreach (var error in e.Errors)
            {
                await stderr.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }
            return ExitCodes.DataError;
        }
        catch (DataException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.DataError;
        }
        catch (StoreUnavailableException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("cancelled").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.CantCreate;
        }
    }
}
