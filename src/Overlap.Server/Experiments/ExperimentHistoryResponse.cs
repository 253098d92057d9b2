namespace Overlap.Server.Experiments;

/// <summary>An experiment day by day: its start and one point per day since, the last one now.</summary>
/// <param name="Experiment">The experiment's name.</param>
/// <param name="Feature">The feature whose contract declares it.</param>
/// <param name="Control">The control's model version.</param>
/// <param name="Treatment">The treatment's model version.</param>
/// <param name="Started">When the experiment first appeared in the contract.</param>
/// <param name="Confidence">The confidence of every interval.</param>
/// <param name="Points">One per day since the start, oldest first.</param>
internal sealed record ExperimentHistoryResponse(
    string Experiment,
    string Feature,
    string Control,
    string Treatment,
    DateTimeOffset Started,
    double Confidence,
    IReadOnlyList<HistoryPoint> Points
)
{
    public static ExperimentHistoryResponse Of(FoundExperiment found, ExperimentHistory history) =>
        new(
            found.Spec.Name,
            found.Contract.Feature,
            found.Spec.Control,
            found.Spec.Treatment,
            history.Started,
            history.Now.Report.Confidence,
            [.. history.Moments.Select(HistoryPoint.Of)]
        );
}

/// <summary>The experiment as it read at one moment, in the shape of <c>GET /v1/experiments/{e}</c>'s figures.</summary>
/// <param name="At">The moment: the predictions stored up to it count.</param>
/// <param name="ElapsedDays">Days since the start.</param>
/// <param name="Decision"><c>rollout</c>, <c>rollback</c>, <c>running</c> or <c>stop</c>, as it read then.</param>
/// <param name="ControlUnits">The units in the control arm then.</param>
/// <param name="TreatmentUnits">The units in the treatment arm then.</param>
/// <param name="Primary">The primary metrics then.</param>
/// <param name="Guardrails">The guardrails then.</param>
internal sealed record HistoryPoint(
    DateTimeOffset At,
    double ElapsedDays,
    string Decision,
    long ControlUnits,
    long TreatmentUnits,
    IReadOnlyList<FigureResponse> Primary,
    IReadOnlyList<FigureResponse> Guardrails
)
{
    public static HistoryPoint Of(ExperimentMoment moment) =>
        new(
            moment.At,
            Math.Round(moment.Report.Elapsed.TotalDays, 3),
            moment.Report.Decision.ToString().ToLowerInvariant(),
            moment.ControlUnits,
            moment.TreatmentUnits,
            [.. moment.Report.Primary.Select(FigureResponse.Of)],
            [.. moment.Report.Guardrails.Select(FigureResponse.Of)]
        );
}
