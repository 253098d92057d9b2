namespace Overlap.Core.Evaluation;

/// <summary>
/// Two evaluation runs compared: every metric, overall and per segment, with the difference's interval, the
/// requirements side by side, and any paired comparison a run carries. Runs on different examples are compared as
/// independent samples; when one run's own paired comparison shows the other run is its baseline on the same examples,
/// the overall metrics it measured take its paired figures (<see cref="SameExamples"/>).
/// </summary>
public sealed record RunComparison
{
    /// <summary>The first run (the reference).</summary>
    public required RunSide A { get; init; }

    /// <summary>The second run; differences are B − A.</summary>
    public required RunSide B { get; init; }

    /// <summary>The confidence of every difference's interval: the higher of the two runs'.</summary>
    public required double Confidence { get; init; }

    /// <summary>Each metric overall.</summary>
    public required IReadOnlyList<MetricComparison> Metrics { get; init; }

    /// <summary>Each requirement, as each run judged it.</summary>
    public required IReadOnlyList<RequirementComparison> Requirements { get; init; }

    /// <summary>Each segment value present in either run.</summary>
    public required IReadOnlyList<SegmentComparison> Segments { get; init; }

    /// <summary>Run A's own paired comparison with a baseline scored on the same examples (<c>overlap eval --baseline</c>), if any.</summary>
    public ComparisonReport? PairedA { get; init; }

    /// <summary>Run B's own paired comparison with a baseline scored on the same examples, if any: authoritative for those two models.</summary>
    public ComparisonReport? PairedB { get; init; }

    /// <summary>
    /// True when both runs are known to be on the same examples: one run was evaluated with <c>--baseline</c> and its
    /// paired comparison's baseline has the other run's figures on as many examples. The overall metrics that paired
    /// comparison measured then carry its (paired) difference, so the summary, the table and the paired block agree.
    /// </summary>
    public bool SameExamples { get; init; }

    /// <summary>The comparison in plain words, most important first.</summary>
    public required IReadOnlyList<string> Statements { get; init; }
}
