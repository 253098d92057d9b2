namespace Overlap.Core.Contracts;

/// <summary>What the model does.</summary>
public enum TaskKind
{
    /// <summary>Two outcomes, with a score for the positive one.</summary>
    Binary,

    /// <summary>One of several named classes.</summary>
    Multiclass,

    /// <summary>A number.</summary>
    Regression,

    /// <summary>Text: each output is judged by checks and a rubric, not against one true label.</summary>
    Generative,
}
