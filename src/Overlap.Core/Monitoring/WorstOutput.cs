namespace Overlap.Core.Monitoring;

/// <summary>
/// One of a window's worst outputs: what it was asked and what it answered (each cut to its first 200 characters),
/// every check and criterion it failed with why, and the grades people and the model judge gave it.
/// </summary>
public sealed record WorstOutput
{
    /// <summary>The prediction's id.</summary>
    public required string Id { get; init; }

    /// <summary>The start of the input (<c>columns.input</c>, else the chat messages); null when none came.</summary>
    public string? Input { get; init; }

    /// <summary>The start of the output; null when none was sent.</summary>
    public string? Output { get; init; }

    /// <summary>One line per failed check or criterion: its name and why.</summary>
    public required IReadOnlyList<string> Failed { get; init; }

    /// <summary>People's grades by criterion: "pass"/"fail" or "1"–"5".</summary>
    public IReadOnlyDictionary<string, string> PeopleGrades { get; init; } = new Dictionary<string, string>();

    /// <summary>The model judge's grades by criterion: "pass"/"fail", "1"–"5", or "no verdict".</summary>
    public IReadOnlyDictionary<string, string> ModelGrades { get; init; } = new Dictionary<string, string>();
}
