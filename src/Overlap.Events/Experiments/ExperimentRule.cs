using System.Text.Json.Serialization;

namespace Overlap.Events.Experiments;

/// <summary>
/// What an application needs to assign units to an experiment's arms by itself: the salt, the split and the two model
/// versions (<c>GET /v1/experiments/{e}/rule</c>). The server's <c>/assign</c> and the SDK's <c>AssignAsync</c> both
/// assign through <see cref="Assign"/>, so they agree.
/// </summary>
/// <param name="Experiment">The experiment's name.</param>
/// <param name="Feature">The feature whose contract declares it.</param>
/// <param name="Salt">The salt of the assignment.</param>
/// <param name="Split">The weights of control and treatment.</param>
/// <param name="Control">The control's model version.</param>
/// <param name="Treatment">The treatment's model version.</param>
/// <param name="Unit"><c>prediction</c>, or the attribute whose value is the unit (a user or account id).</param>
/// <param name="Shadow">Shadow mode: every unit is served by the control, the treatment is only scored beside it.</param>
public sealed record ExperimentRule(
    string Experiment,
    string Feature,
    string Salt,
    IReadOnlyList<double> Split,
    string Control,
    string Treatment,
    string Unit,
    bool Shadow
)
{
    /// <summary>The arm of <paramref name="unit"/>: the control for every unit of a shadow experiment.</summary>
    public ExperimentArm Assign(string unit)
    {
        ArgumentException.ThrowIfNullOrEmpty(unit);
        var treatment = !Shadow && ArmAssignment.Arm(Salt, unit, Split) == 1;
        return new ExperimentArm(
            Experiment,
            Feature,
            unit,
            treatment ? ExperimentArm.TreatmentArm : ExperimentArm.ControlArm,
            treatment ? Treatment : Control
        );
    }
}

/// <summary>
/// The arm a unit is in. Record the prediction the unit's request gets with <see cref="ModelVersion"/> as its
/// <c>model_version</c>: that is how each prediction records its arm, and how Overlap counts the arms.
/// </summary>
/// <param name="Experiment">The experiment's name.</param>
/// <param name="Feature">The feature whose contract declares it.</param>
/// <param name="Unit">The unit assigned.</param>
/// <param name="Arm"><c>control</c> or <c>treatment</c>.</param>
/// <param name="ModelVersion">The model version the unit is served by.</param>
public sealed record ExperimentArm(
    string Experiment,
    string Feature,
    string Unit,
    [property: JsonPropertyName("arm")] string Arm,
    [property: JsonPropertyName("version")] string ModelVersion
)
{
    /// <summary>The name of the control's arm.</summary>
    public const string ControlArm = "control";

    /// <summary>The name of the treatment's arm.</summary>
    public const string TreatmentArm = "treatment";

    /// <summary>Whether the unit is served by the treatment.</summary>
    [JsonIgnore]
    public bool IsTreatment => Arm == TreatmentArm;
}
