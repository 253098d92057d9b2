namespace Overlap.Core.Data;

/// <summary>Which columns a reader keeps and what it enforces on them.</summary>
public sealed class TableReadOptions
{
    /// <summary>Columns to keep; null keeps every column. A named column missing from the file is an error.</summary>
    public IReadOnlyCollection<string>? Columns { get; init; }

    /// <summary>Columns of <see cref="Columns"/> that may be missing from the file (people's grades not given yet).</summary>
    public IReadOnlyCollection<string> Optional { get; init; } = [];

    /// <summary>Rules per column name.</summary>
    public IReadOnlyDictionary<string, ColumnRule> Rules { get; init; } = new Dictionary<string, ColumnRule>();

    /// <summary>The file's name as the user typed it, for error messages.</summary>
    public string Source { get; init; } = "data";
}
