using System.Text.Json.Serialization;

namespace Overlap.Core.Drift;

/// <summary>A column the drift report did not test.</summary>
/// <param name="Column">The column.</param>
/// <param name="Reason">Why, and how to test it anyway.</param>
public sealed record SkippedColumn(string Column, string Reason)
{
    /// <summary>
    /// True when the column was skipped by a guess (an id or a timestamp) that naming it among the columns to test
    /// overrides; a caller can then say how its users name columns.
    /// </summary>
    [JsonIgnore]
    public bool Overridable { get; init; }
}
