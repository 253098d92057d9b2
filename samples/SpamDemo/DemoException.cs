namespace Overlap.Demo;

/// <summary>Why the demo cannot go on: printed as one line on stderr, the process exits with <see cref="ExitCode"/>.</summary>
internal sealed class DemoException(int exitCode, string message) : Exception(message)
{
    /// <summary>One of <see cref="DemoExitCodes"/>.</summary>
    public int ExitCode { get; } = exitCode;
}
