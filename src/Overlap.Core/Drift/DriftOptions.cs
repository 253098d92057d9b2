using Overlap.Core.Contracts;

namespace Overlap.Core.Drift;

/// <summary>What the drift analyzer tests and how.</summary>
public sealed record DriftOptions
{
    /// <summary>Columns to test; null tests every column the two data sets share.</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>The test for every column (auto or a forced one) and per-column overrides.</summary>
    public DriftPolicy Policy { get; init; } = new();

    /// <summary>The feature's name, for the report.</summary>
    public string? Feature { get; init; }

    /// <summary>A jump in a column's missing share at least this large (absolute) is a schema change.</summary>
    public double NullShareJump { get; init; } = 0.05;
}
