namespace Overlap.Core.Experiments;

/// <summary>
/// What a shadow experiment has gathered: the served control's and the shadow treatment's predictions on the same
/// examples, paired.
/// </summary>
public sealed record ShadowSample
{
    /// <summary>The control's paired predictions: its version, latencies and costs (its labels are in <see cref="Labelled"/>).</summary>
    public required ArmSample Control { get; init; }

    /// <summary>The treatment's paired predictions: its version, latencies and costs.</summary>
    public required ArmSample Treatment { get; init; }

    /// <summary>The pairs whose label had time to arrive, in the order the paired bootstrap draws them.</summary>
    public required IReadOnlyList<LabelledPair> Labelled { get; init; }

    /// <summary>How the predictions were paired.</summary>
    public required ShadowCounts Counts { get; init; }
}
