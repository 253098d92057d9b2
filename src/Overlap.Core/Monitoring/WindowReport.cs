using Overlap.Core.Drift;
using Overlap.Core.Estimation;
using Overlap.Core.Evaluation;

namespace Overlap.Core.Monitoring;

/// <summary>What one window of production shows: volume, latency, cost, and, once labels arrive, the evaluation against the contract.</summary>
public sealed record WindowReport
{
    /// <summary>Where the window starts (inclusive).</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>Where it ends (exclusive).</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary>When this report was computed from the rows (a closed window's report is kept until its data change).</summary>
    public DateTimeOffset? ComputedAt { get; init; }

    /// <summary>How many predictions.</summary>
    public required int Predictions { get; init; }

    /// <summary>How many of them have a label.</summary>
    public required int Labelled { get; init; }

    /// <summary>
    /// Stored rows (or values of them) left out of these figures because they do not fit the contract, counted by reason
    /// ("label 'x' is not a label of contract version 3"); null (omitted) when nothing was.
    /// </summary>
    public IReadOnlyList<LeftOut>? LeftOut { get; init; }

    /// <summary>Latency percentiles; null when no prediction sent a latency.</summary>
    public LatencySummary? LatencyMs { get; init; }

    /// <summary>The total cost of the predictions that sent one; null when none did.</summary>
    public double? CostTotal { get; init; }

    /// <summary>The mean cost per prediction that sent one; null when none did.</summary>
    public double? CostMean { get; init; }

    /// <summary>
    /// Performance estimated from the scores of every prediction in the window, labelled or not (binary contracts);
    /// beside <see cref="Evaluation"/> once labels come.
    /// </summary>
    public EstimatedPerformance? Estimated { get; init; }

    /// <summary>The window's inputs and score against the reference; null without a reference or without predictions.</summary>
    public DriftReport? Drift { get; init; }

    /// <summary>The labelled predictions judged against the contract, exactly as <c>overlap eval</c> judges a file; null with no labels.</summary>
    public EvaluationReport? Evaluation { get; init; }

    /// <summary>
    /// A <c>task: generative</c> feature's usage, feedback rates and whose grades count (its checks, rubric and
    /// requirements are judged in <see cref="Evaluation"/>); null for other tasks.
    /// </summary>
    public GenerativeWindow? Generative { get; init; }

    /// <summary>
    /// Fairness before any label: with no labelled prediction (so no <c>evaluation</c>), each group's selection rate over
    /// every prediction and the contract's fairness bars judged on it; null otherwise (then in the evaluation's fairness).
    /// </summary>
    public Fairness.UnlabelledFairness? FairnessWithoutLabels { get; init; }

    /// <summary>
    /// What the contract's workflow did with the window's guarded calls (routes, retry, fallback, escalation and
    /// abstention rates, failed checks); null when no call went through a guard.
    /// </summary>
    public WorkflowReport? Workflow { get; init; }

    /// <summary>
    /// Which requirement decided the window's verdict, in words ("fail: false_positive_rate 0.12 (0.1 to 0.14) above the
    /// bar 0.05"); null with no labels. Derived from <see cref="Evaluation"/>, so a stored report reads it back too.
    /// </summary>
    public string? DecidedBy => Evaluation is { } e ? VerdictReason.Of(e) : null;
}
