namespace Overlap.Core.Contracts;

/// <summary>
/// A contract that cannot be used. <see cref="Exception.Message"/> is one line for a person:
/// "overlap.yaml:12: unknown key 'treshold'; did you mean 'threshold'?".
/// </summary>
public sealed class ContractException : Exception
{
    /// <summary>Creates the error for a place in a contract file.</summary>
    /// <param name="source">The file as the user named it.</param>
    /// <param name="line">1-based line, or 0 when the problem is the file as a whole.</param>
    /// <param name="problem">What is wrong and what to write instead.</param>
    public ContractException(string source, int line, string problem)
        : base(line > 0 ? $"{source}:{line}: {problem}" : $"{source}: {problem}")
    {
        Source = source;
        Line = line;
        Problem = problem;
        Errors = [this];
    }

    /// <summary>Several refusals of one contract at once; the message has one line per refusal, the place and problem are the first's.</summary>
    public ContractException(IReadOnlyList<ContractException> errors)
        : base(
            string.Join(
                Environment.NewLine,
                (errors ?? throw new ArgumentNullException(nameof(errors))).Select(e => e.Message)
            )
        )
    {
        if (errors.Count == 0)
        {
            throw new ArgumentException("at least one error is needed", nameof(errors));
        }
        Source = errors[0].Source;
        Line = errors[0].Line;
        Problem = errors[0].Problem;
        Errors = errors;
    }

    /// <summary>Creates the error for a place in a contract file, with its column (a syntax error).</summary>
    /// <param name="source">The file as the user named it.</param>
    /// <param name="line">1-based line.</param>
    /// <param name="column">1-based column.</param>
    /// <param name="problem">What is wrong and what to write instead.</param>
    public ContractException(string source, int line, int column, string problem)
        : base($"{source}:{line}:{column}: {problem}")
    {
        Source = source;
        Line = line;
        Column = column;
        Problem = problem;
        Errors = [this];
    }

    /// <summary>Creates an empty error (for serializers).</summary>
    public ContractException()
    {
        Source = string.Empty;
        Problem = string.Empty;
        Errors = [this];
    }

    /// <summary>Creates an error with a message only.</summary>
    public ContractException(string message)
        : base(message)
    {
        Source = string.Empty;
        Problem = message;
        Errors = [this];
    }

    /// <summary>Creates an error with a message and its cause.</summary>
    public ContractException(string message, Exception inner)
        : base(message, inner)
    {
        Source = string.Empty;
        Problem = message;
        Errors = [this];
    }

    /// <summary>Every refusal of the contract, in line order (this one alone when there was one).</summary>
    public IReadOnlyList<ContractException> Errors { get; }

    /// <summary>The 1-based line of the problem; 0 when it concerns the whole file.</summary>
    public int Line { get; }

    /// <summary>The 1-based column of the problem; 0 when only the line is known.</summary>
    public int Column { get; }

    /// <summary>What is wrong and what to write instead, without the place.</summary>
    public string Problem { get; }

    /// <summary>The file as the user named it.</summary>
    public new string Source { get; }
}
