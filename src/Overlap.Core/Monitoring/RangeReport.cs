using Overlap.Core.Estimation;
using Overlap.Core.Evaluation;

namespace Overlap.Core.Monitoring;

/// <summary>
/// A range of production (thirty days by default) judged as one: the merge of its windows' summaries
/// (<see cref="WindowSummary"/>), never a re-scan of the rows.
/// </summary>
public sealed record RangeReport
{
    /// <summary>The feature's slug.</summary>
    public required string Feature { get; init; }

    /// <summary>The contract version the range was judged against.</summary>
    public required int ContractVersion { get; init; }

    /// <summary>The window length merged, as the contract writes it.</summary>
    public required string Window { get; init; }

    /// <summary>Where the range starts (inclusive).</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>Where it ends (exclusive).</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>How many windows were merged.</summary>
    public required int Windows { get; init; }

    /// <summary>
    /// A <c>task: generative</c> feature's range: outputs and the rates (feedback, acceptable, checks, criteria) summed
    /// over its windows, each with its Wilson interval; null for other tasks.
    /// </summary>
    public GenerativeRange? Generative { get; init; }

    /// <summary>
    /// What the contract's guard did over the range: its windows' guarded calls merged, with the contract's requirements
    /// on workflow metrics judged on the merged counts; null (omitted) when no call was guarded.
    /// </summary>
    public WorkflowReport? Workflow { get; init; }

    /// <summary>
    /// Fairness before any label: with no labelled prediction (so no <c>evaluation</c>), each group's selection rate over
    /// every prediction and the contract's fairness bars judged on it; null otherwise (then in the evaluation's fairness).
    /// </summary>
    public Fairness.UnlabelledFairness? FairnessWithoutLabels { get; init; }

    /// <summary>When the merge was made.</summary>
    public DateTimeOffset? ComputedAt { get; init; }

    /// <summary>How many predictions.</summary>
    public required long Predictions { get; init; }

    /// <summary>How many of them have a label.</summary>
    public required long Labelled { get; init; }

    /// <summary>What the windows left out of their figures, by reason, summed over the range; null (omitted) when nothing.</summary>
    public IReadOnlyList<LeftOut>? LeftOut { get; init; }

    /// <summary>Latency percentiles from the merged sketch (within half a percent); null when none sent one.</summary>
    public LatencySummary? LatencyMs { get; init; }

    /// <summary>The total cost; null when no prediction sent one.</summary>
    public double? CostTotal { get; init; }

    /// <summary>The mean cost per prediction that sent one.</summary>
    public double? CostMean { get; init; }

    /// <summary>Performance estimated from every prediction's calibrated score (binary contracts with a reference).</summary>
    public EstimatedPerformance? Estimated { get; init; }

    /// <summary>The labelled predictions of the range judged against the contract (binary contracts); null with no labels.</summary>
    public EvaluationReport? Evaluation { get; init; }

    /// <summary>How many windows were tested for drift against the reference.</summary>
    public required int DriftTestedWindows { get; init; }

    /// <summary>How many of them drifted as a data set.</summary>
    public required int DriftedWindows { get; init; }

    /// <summary>Column → the number of windows in which it drifted.</summary>
    public required IReadOnlyDictionary<string, int> DriftedColumns { get; init; }

    /// <summary>What the merge gives up against a re-scan, in words.</summary>
    public required string Precision { get; init; }
}
