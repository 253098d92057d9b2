namespace Overlap.Judges;

/// <summary>
/// The model judge cannot be set up or reached as configured: an environment variable the contract names is unset,
/// the endpoint is not an address, the endpoint refuses the key or does not know the model, or a budget has no price
/// to count against. The message says what is wrong and what to do; it never contains the key.
/// </summary>
public sealed class JudgeSetupException : Exception
{
    /// <summary>An exception with the given message.</summary>
    public JudgeSetupException(string message)
        : base(message) { }

    /// <summary>An exception with the given message and cause.</summary>
    public JudgeSetupException(string message, Exception innerException)
        : base(message, innerException) { }

    /// <summary>An exception with a default message.</summary>
    public JudgeSetupException()
        : base("The model judge is not set up.") { }
}
