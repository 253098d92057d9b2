namespace Overlap.Core.Experiments;

/// <summary>
/// One arm's scored predictions of a binary feature, for estimating what its labels will show: those counted as
/// labelled (their labels had time to arrive), which its score calibration is fitted on, and those awaiting labels.
/// </summary>
public sealed record ArmScores
{
    /// <summary>The arm's model version.</summary>
    public required string Version { get; init; }

    /// <summary>The scores of the predictions counted as labelled.</summary>
    public IReadOnlyList<double> LabelledScores { get; init; } = [];

    /// <summary>Their labels, in the same order: 1 positive, 0 negative.</summary>
    public IReadOnlyList<byte> Labels { get; init; } = [];

    /// <summary>The scores of the predictions not (yet) counted as labelled.</summary>
    public IReadOnlyList<double> AwaitingScores { get; init; } = [];
}
