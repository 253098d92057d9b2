namespace Overlap.Core.Generative;

/// <summary>
/// One criterion of a generative feature's rubric, judged by people and/or a model judge: a question about an output,
/// the scale it is graded on, and optional examples of a good and a rejected output.
/// </summary>
public sealed record RubricCriterion
{
    /// <summary>The criterion's name (<c>factual</c>); metrics are <c>rubric.&lt;name&gt;.pass_rate</c> and <c>.mean</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The question a grader answers about one output.</summary>
    public required string Question { get; init; }

    /// <summary>How it is graded.</summary>
    public RubricScale Scale { get; init; } = RubricScale.PassFail;

    /// <summary>On a 1–5 scale, the lowest grade that passes (default 4); unused for pass/fail.</summary>
    public int PassAt { get; init; } = 4;

    /// <summary>An output that meets the criterion, shown to graders, if written.</summary>
    public string? GoodExample { get; init; }

    /// <summary>An output that was rejected on this criterion, shown to graders, if written.</summary>
    public string? RejectedExample { get; init; }

    /// <summary>The contract line it was written on (for messages).</summary>
    public int Line { get; init; }

    /// <summary>True when a grade on this criterion's scale passes: 1 for pass/fail, at least <see cref="PassAt"/> on 1–5.</summary>
    public bool Passes(int grade) => Scale == RubricScale.PassFail ? grade == 1 : grade >= PassAt;
}
