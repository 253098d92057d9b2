namespace Overlap.Core.Contracts;

/// <summary>The label values: positive and negative for a binary task, the class names for multiclass.</summary>
public sealed record ContractLabels
{
    /// <summary>The label value that means "positive" (binary).</summary>
    public string? Positive { get; init; }

    /// <summary>The label value that means "negative" (binary).</summary>
    public string? Negative { get; init; }

    /// <summary>The class names (multiclass).</summary>
    public IReadOnlyList<string> Classes { get; init; } = [];
}
