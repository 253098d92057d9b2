namespace Overlap.Demo.Corpus;

/// <summary>
/// The corpus could not be fetched or read: npm is missing, the network is down, the download did not match its
/// pinned integrity. The message is one line that says what to do; it is meant to be shown as it is.
/// </summary>
public sealed class SpamCorpusException : Exception
{
    /// <summary>Creates the error with the line to show.</summary>
    public SpamCorpusException(string message)
        : base(message) { }

    /// <summary>Creates the error with the line to show and the failure behind it.</summary>
    public SpamCorpusException(string message, Exception inner)
        : base(message, inner) { }
}
