using Overlap.Core.Generative;
using Overlap.Core.Metrics;
using Overlap.Core.Provenance;

namespace Overlap.Core.Evaluation;

/// <summary>An evaluation run judged against its contract: the JSON contract of record (DESIGN.md "Reports").</summary>
public sealed record EvaluationReport
{
    /// <summary>The feature.</summary>
    public required string Feature { get; init; }

    /// <summary>binary, multiclass, regression or generative.</summary>
    public required string Task { get; init; }

    /// <summary>The contract's verdict: the worst of its judged requirements.</summary>
    public required Verdict Verdict { get; init; }

    /// <summary>Examples evaluated.</summary>
    public required long N { get; init; }

    /// <summary>The decision threshold used (binary).</summary>
    public double? Threshold { get; init; }

    /// <summary>The confidence of every interval.</summary>
    public required double Confidence { get; init; }

    /// <summary>Every metric overall.</summary>
    public required IReadOnlyDictionary<string, MetricValue> Metrics { get; init; }

    /// <summary>The binary confusion matrix.</summary>
    public ConfusionCounts? Confusion { get; init; }

    /// <summary>The multiclass confusion matrix: rows actual, columns predicted, in <see cref="Classes"/> order.</summary>
    public IReadOnlyList<IReadOnlyList<long>>? ConfusionMatrix { get; init; }

    /// <summary>The class names (multiclass).</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>Per class figures (multiclass): class → metric → value.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricValue>>? PerClass { get; init; }

    /// <summary>Segment column → value → figures.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, SegmentResult>> Segments { get; init; }

    /// <summary>Each requirement judged.</summary>
    public required IReadOnlyList<RequirementResult> Requirements { get; init; }

    /// <summary>Plain-language statements, most important first.</summary>
    public required IReadOnlyList<string> Statements { get; init; }

    /// <summary>Expected cost at the contract threshold and at the cost-optimal one (binary).</summary>
    public CostSummary? Cost { get; init; }

    /// <summary>Precision, recall, false-positive rate and cost at thresholds 0.00 to 1.00 (binary).</summary>
    public IReadOnlyList<ThresholdPoint>? ThresholdSweep { get; init; }

    /// <summary>Reliability table and ECE (binary).</summary>
    public CalibrationSummary? Calibration { get; init; }

    /// <summary>ROC and precision–recall curve points for charts (binary).</summary>
    public CurveSet? Curves { get; init; }

    /// <summary>What a trivial rule (the most common class, the mean of the labels) scores on the same examples, and whether the model beats it.</summary>
    public TrivialBaseline? TrivialBaseline { get; init; }

    /// <summary>The comparison with a baseline model, when one was given.</summary>
    public ComparisonReport? Comparison { get; init; }

    /// <summary>Generative: the outputs that failed the most checks and criteria, worst first, each with why.</summary>
    public IReadOnlyList<OutputFailure>? WorstOutputs { get; init; }

    /// <summary>Generative: what the model judge did and whether it can stand in for people, per criterion.</summary>
    public Generative.ModelJudgeSummary? Judge { get; init; }

    /// <summary>
    /// A matrix run (<c>overlap eval --outputs</c>): one full report per output column, in the order given. The
    /// report's own verdict is the worst of theirs, its statements one per column, and its metrics, segments and
    /// requirements are empty (each column has its own). Null for a single evaluation.
    /// </summary>
    public IReadOnlyList<OutputColumnReport>? Outputs { get; init; }

    /// <summary>What produced the report: Overlap's version, the contract, the data files' hashes, seed, resamples and time.</summary>
    public RunProvenance? Provenance { get; init; }

    /// <summary>How the decisions compare between the groups of the contract's sensitive attributes; null without a fairness section.</summary>
    public Fairness.FairnessReport? Fairness { get; init; }

    /// <summary>
    /// What sending a band of scores to people would cost and save, priced with the contract's costs and its workflow's
    /// <c>review_cost</c>; null without a review cost, a score, or with decisions sent instead of a threshold.
    /// </summary>
    public Workflow.AbstainTradeOff? Abstain { get; init; }
}
