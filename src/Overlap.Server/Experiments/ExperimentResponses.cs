using Overlap.Core.Experiments;
using Overlap.Core.Statistics;

namespace Overlap.Server.Experiments;

/// <summary>An experiment's decision: what a deployment pipeline gates on (<c>decision</c>) and why, in words.</summary>
/// <param name="Experiment">The experiment's name.</param>
/// <param name="Feature">The feature whose contract declares it.</param>
/// <param name="Control">The control's model version.</param>
/// <param name="Treatment">The treatment's model version.</param>
/// <param name="Decision"><c>rollout</c>, <c>rollback</c>, <c>running</c> or <c>stop</c>.</param>
/// <param name="Statement">The decision and the figures that made it, in words.</param>
/// <param name="Reasons">What decided it: metric names, <c>split</c> or <c>max_duration</c>.</param>
/// <param name="ElapsedDays">Days since the experiment first appeared in the contract.</param>
/// <param name="DaysLeft">Days until the planned sample size at today's traffic; null when unknown.</param>
/// <param name="Ended">When the experiment ended (the contract's <c>ended</c>), judged as of then; null while it runs.</param>
internal sealed record ExperimentSummary(
    string Experiment,
    string Feature,
    string Control,
    string Treatment,
    string Decision,
    string Statement,
    IReadOnlyList<string> Reasons,
    double ElapsedDays,
    double? DaysLeft,
    DateTimeOffset? Ended
)
{
    public static ExperimentSummary Of(FoundExperiment found, ExperimentReport report) =>
        new(
            report.Experiment,
            found.Contract.Feature,
            report.Control,
            report.Treatment,
            report.Decision.ToString().ToLowerInvariant(),
            found.Spec.Ended is { } ended
                ? string.Create(
                    System.Globalization.CultureInfo.InvariantCulture,
                    $"Ended on {ended.UtcDateTime:yyyy-MM-dd HH:mm} UTC, on this decision: {ExperimentStatements.Decision(report, found.Contract)}"
                )
                : ExperimentStatements.Decision(report, found.Contract),
            report.Reasons,
            Math.Round(report.Elapsed.TotalDays, 3),
            found.Spec.Ended is null && report.DaysLeft is { } d ? Math.Round(d, 2) : null,
            found.Spec.Ended
        );
}

/// <summary>The whole analysis: the decision, the split check, and every figure with both intervals.</summary>
/// <param name="Summary">The decision (as <c>/decision</c> answers it).</param>
/// <param name="Confidence">The confidence of every interval.</param>
/// <param name="Split">The split check; null for a shadow experiment.</param>
/// <param name="Primary">The primary metrics.</param>
/// <param name="Guardrails">The guardrails.</param>
/// <param name="NeededPerArm">What the primary metrics count, needed per arm for the planned power.</param>
/// <param name="Shadow">For a shadow experiment, how its predictions were paired; null for an A/B experiment.</param>
/// <param name="Segments">The figures within each value of the contract's segments (at most 20 values each).</param>
/// <param name="Estimated">
/// Per arm of a binary experiment (control, then treatment; the two sides of a shadow experiment's pairs), what its
/// predictions still awaiting labels are estimated to show from its own calibrated scores; empty otherwise. Estimates inform: the decision is taken on the
/// labelled figures alone.
/// </param>
internal sealed record ExperimentResponse(
    ExperimentSummary Summary,
    double Confidence,
    SplitResponse? Split,
    IReadOnlyList<FigureResponse> Primary,
    IReadOnlyList<FigureResponse> Guardrails,
    long? NeededPerArm,
    ShadowResponse? Shadow,
    IReadOnlyList<SegmentFiguresResponse> Segments,
    IReadOnlyList<ArmEstimateResponse> Estimated
)
{
    public static ExperimentResponse Of(FoundExperiment found, ExperimentReport report) =>
        new(
            ExperimentSummary.Of(found, report),
            report.Confidence,
            report.Split is { } s ? new SplitResponse(s.PValue, s.Mismatch, s.Planned, s.Observed) : null,
            [.. report.Primary.Select(FigureResponse.Of)],
            [.. report.Guardrails.Select(FigureResponse.Of)],
            report.NeededPerArm,
            report.Shadow is { } c
                ? new ShadowResponse(c.Pairs, c.Labelled, c.ShadowWithoutServed, c.ServedWithoutShadow)
                : null,
            [
                .. report.Segments.Select(g => new SegmentFiguresResponse(
                    g.Attribute,
                    g.Value,
                    g.ControlUnits,
                    g.TreatmentUnits,
                    [.. g.Primary.Select(FigureResponse.Of)],
                    [.. g.Guardrails.Select(FigureResponse.Of)]
                )),
            ],
            [.. report.Estimated.Select((e, i) => ArmEstimateResponse.Of(i == 0 ? "control" : "treatment", e, found))]
        );
}

/// <summary>
/// One arm's predictions awaiting labels, estimated (CBPE) from the arm's scores calibrated on its own labelled
/// predictions: how many await, what the calibration rests on (or why there is none: fewer than
/// <c>minimum_rows</c> labelled, or one label only), each metric's estimate with its interval, and the statement.
/// </summary>
/// <param name="Arm"><c>control</c> or <c>treatment</c>.</param>
/// <param name="Version">The arm's model version.</param>
/// <param name="Awaiting">Its scored predictions not (yet) counted as labelled: what is estimated.</param>
/// <param name="CalibrationRows">Its labelled predictions the calibration is fitted on.</param>
/// <param name="CalibrationPositives">How many of them are positive.</param>
/// <param name="MinimumRows">The fewest labelled predictions, with both labels, a calibration is fitted on.</param>
/// <param name="Calibrated">Whether the arm has enough of them; without, nothing is estimated.</param>
/// <param name="Isotonic">Whether the scores are recalibrated (isotonic) or taken as they are (calibrating did not help).</param>
/// <param name="Metrics">The estimates; empty when nothing is estimated.</param>
/// <param name="Statement">The estimate, or why there is none, in words, marked as an estimate.</param>
internal sealed record ArmEstimateResponse(
    string Arm,
    string Version,
    long Awaiting,
    long CalibrationRows,
    long CalibrationPositives,
    int MinimumRows,
    bool Calibrated,
    bool Isotonic,
    IReadOnlyList<EstimatedMetricResponse> Metrics,
    string Statement
)
{
    public static ArmEstimateResponse Of(string arm, ArmEstimate estimate, FoundExperiment found) =>
        new(
            arm,
            estimate.Version,
            estimate.Awaiting,
            estimate.CalibrationRows,
            estimate.CalibrationPositives,
            estimate.MinimumRows,
            estimate.Calibrated,
            estimate.Isotonic,
            [
                .. estimate.Metrics.Select(m => new EstimatedMetricResponse(
                    m.Metric,
                    Known(m.Value.Value),
                    Known(m.Value.CiLow),
                    Known(m.Value.CiHigh),
                    m.Value.N
                )),
            ],
            ExperimentStatements.Estimated(estimate, found.Contract)
        );

    private static double? Known(double value) => FigureResponse.Known(value);
}

/// <summary>An estimated metric: its estimate and interval (null when it cannot be estimated) and the predictions it covers.</summary>
internal sealed record EstimatedMetricResponse(string Metric, double? Value, double? CiLow, double? CiHigh, long N);

/// <summary>An experiment's figures within one value of a segment: they inform; the decision is the whole experiment's.</summary>
internal sealed record SegmentFiguresResponse(
    string Attribute,
    string Value,
    long ControlUnits,
    long TreatmentUnits,
    IReadOnlyList<FigureResponse> Primary,
    IReadOnlyList<FigureResponse> Guardrails
);

/// <summary>
/// A shadow experiment's pairing: the served predictions with their shadow, those whose label had time to arrive,
/// the shadow predictions left out for want of their served prediction, and the served ones with no shadow.
/// </summary>
internal sealed record ShadowResponse(long Pairs, long Labelled, long ShadowWithoutServed, long ServedWithoutShadow);

/// <summary>
/// McNemar's test of a rate in a shadow experiment: the pairs the rate counts, the discordant ones (only the control's
/// decision a success, only the treatment's), the p-value, and <c>mcnemar_exact</c> (below 25 discordant pairs) or
/// <c>mcnemar_chi2</c>.
/// </summary>
internal sealed record McNemarResponse(long Pairs, long ControlOnly, long TreatmentOnly, double PValue, string Method);

/// <summary>The split check: its p-value, whether it failed (p &lt; 0.001), and the planned and observed shares.</summary>
internal sealed record SplitResponse(
    double PValue,
    bool Mismatch,
    IReadOnlyList<double> Planned,
    IReadOnlyList<double> Observed
);

/// <summary>
/// One metric: each arm's figure, the difference with both intervals (null when unknown), the verdict, and in a shadow
/// experiment McNemar's test where the rate's pairs allow it.
/// </summary>
internal sealed record FigureResponse(
    string Metric,
    double? Control,
    double? Treatment,
    double? Difference,
    double[]? FixedHorizon,
    double[]? AlwaysValid,
    double? MinEffect,
    double? Margin,
    string Verdict,
    string Statement,
    McNemarResponse? Mcnemar
)
{
    public static FigureResponse Of(ExperimentFigure figure)
    {
        var d = figure.Difference;
        return new FigureResponse(
            figure.Metric.Name,
            Known(d.Control),
            Known(d.Treatment),
            Known(d.Estimate),
            Pair(d.FixedHorizon),
            Pair(d.AlwaysValid),
            figure.Metric.MinEffect,
            figure.Metric.Margin,
            VerdictWord(figure.Verdict),
            ExperimentStatements.Change(figure, "always-valid"),
            figure.Discordant is { } x
                ? new McNemarResponse(
                    x.Pairs,
                    x.ControlOnly,
                    x.TreatmentOnly,
                    x.Test.PValue,
                    x.Test.Exact ? "mcnemar_exact" : "mcnemar_chi2"
                )
                : null
        );
    }

    /// <summary>A figure for JSON: null when not finite.</summary>
    public static double? Known(double value) => double.IsFinite(value) ? value : null;

    private static double[]? Pair(Interval interval) => interval.IsKnown ? [interval.Low, interval.High] : null;

    private static string VerdictWord(FigureVerdict verdict) =>
        verdict switch
        {
            FigureVerdict.NotEnoughData => "not_enough_data",
            FigureVerdict.WithinMargin => "within_margin",
            FigureVerdict.BeyondMargin => "beyond_margin",
            _ => verdict.ToString().ToLowerInvariant(),
        };
}
