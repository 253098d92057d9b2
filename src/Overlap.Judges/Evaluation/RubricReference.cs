using Microsoft.Extensions.AI.Evaluation;

namespace Overlap.Judges.Evaluation;

/// <summary>The case's reference answer, handed to <see cref="RubricEvaluator"/> as additional context.</summary>
/// <param name="reference">The reference answer's text.</param>
public sealed class RubricReference(string reference) : EvaluationContext(ContextName, reference)
{
    /// <summary>The context's name.</summary>
    public const string ContextName = "Reference answer";

    /// <summary>The reference answer's text.</summary>
    public string Reference { get; } = reference;
}
