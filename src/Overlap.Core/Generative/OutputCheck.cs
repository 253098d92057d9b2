namespace Overlap.Core.Generative;

/// <summary>One deterministic check of a generative contract, run on every output.</summary>
public sealed record OutputCheck
{
    /// <summary>The check's name; its metric is <c>check.&lt;name&gt;.pass_rate</c>.</summary>
    public required string Name { get; init; }

    /// <summary>What it asserts.</summary>
    public required OutputCheckKind Kind { get; init; }

    /// <summary>For <see cref="OutputCheckKind.Regex"/>: the pattern.</summary>
    public string? Pattern { get; init; }

    /// <summary>For <see cref="OutputCheckKind.Contains"/> and <see cref="OutputCheckKind.NotContains"/>: the texts.</summary>
    public IReadOnlyList<string> Texts { get; init; } = [];

    /// <summary>For the length checks: the bound in characters (Unicode code points).</summary>
    public int Length { get; init; }

    /// <summary>For <see cref="OutputCheckKind.JsonSchema"/>: the schema file's path, relative to the contract.</summary>
    public string? SchemaPath { get; init; }

    /// <summary>For <see cref="OutputCheckKind.SimilarTo"/>: the column whose text the output is compared with.</summary>
    public string? Column { get; init; }

    /// <summary>For <see cref="OutputCheckKind.SimilarTo"/>: the lowest cosine similarity that passes.</summary>
    public double Min { get; init; }

    /// <summary>The contract line it was written on (for messages).</summary>
    public int Line { get; init; }

    /// <summary>The contract key that names its kind (<c>not_contains</c>).</summary>
    public string KindKey => OutputChecks.Key(Kind);
}
