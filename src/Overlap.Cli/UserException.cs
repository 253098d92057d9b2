namespace Overlap.Cli;

/// <summary>An error for the user: printed as one line on stderr, the process exits with <see cref="ExitCode"/>.</summary>
internal sealed class UserException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
