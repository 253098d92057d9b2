namespace Overlap.Core.Experiments;

/// <summary>
/// One labelled example of a shadow experiment: its true label, the served control's decision and the treatment's
/// decision on the same example (scored in shadow, never served).
/// </summary>
/// <param name="Positive">Whether the example's label is the positive one.</param>
/// <param name="ControlFlagged">Whether the served control flagged it.</param>
/// <param name="TreatmentFlagged">Whether the treatment, in shadow, flagged it.</param>
public readonly record struct LabelledPair(bool Positive, bool ControlFlagged, bool TreatmentFlagged);
