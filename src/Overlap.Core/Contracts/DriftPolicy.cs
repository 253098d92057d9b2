namespace Overlap.Core.Contracts;

/// <summary>Which drift test to use: <c>auto</c> (DESIGN.md's defaults) or a forced test, overall and per column.</summary>
public sealed record DriftPolicy
{
    /// <summary>The test for every column: auto, ks, wasserstein, chi_square, jensen_shannon or psi.</summary>
    public string Test { get; init; } = "auto";

    /// <summary>A test per column name, overriding <see cref="Test"/>.</summary>
    public IReadOnlyDictionary<string, string> Columns { get; init; } = new Dictionary<string, string>();
}
