using System.Text.Json.Serialization;

namespace Overlap.Core.Planning;

/// <summary>Which examples a proportion counts in its denominator, and so which labelled examples a plan asks for.</summary>
public enum PlanBasis
{
    /// <summary>Every example (accuracy, positive rate).</summary>
    [JsonStringEnumMemberName("examples")]
    Examples,

    /// <summary>Examples whose true label is positive (recall, false negative rate).</summary>
    [JsonStringEnumMemberName("positives")]
    Positives,

    /// <summary>Examples whose true label is negative (specificity, false positive rate).</summary>
    [JsonStringEnumMemberName("negatives")]
    Negatives,

    /// <summary>Examples the model flagged positive (precision).</summary>
    [JsonStringEnumMemberName("flagged")]
    Flagged,
}
