namespace Overlap.Core.Data;

/// <summary>
/// Data that cannot be used: says what is wrong, where (line or row, column) and what to do about it.
/// The message is a single line meant for a person.
/// </summary>
public sealed class DataException : Exception
{
    /// <summary>Creates the error with a one-line message.</summary>
    public DataException(string message)
        : base(message) { }

    /// <summary>Creates the error with a one-line message and its cause.</summary>
    public DataException(string message, Exception inner)
        : base(message, inner) { }

    /// <summary>Creates an empty error (for serializers).</summary>
    public DataException() { }
}
