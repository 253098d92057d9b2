using System.Text.Json.Serialization;

namespace Overlap.Core.Generative;

/// <summary>How a rubric criterion is graded.</summary>
public enum RubricScale
{
    /// <summary><c>pass_fail</c>: the output passes the criterion or it does not.</summary>
    [JsonStringEnumMemberName("pass_fail")]
    PassFail,

    /// <summary><c>1-5</c>: a grade from 1 (worst) to 5 (best); it passes at <see cref="RubricCriterion.PassAt"/> or above.</summary>
    [JsonStringEnumMemberName("1-5")]
    OneToFive,
}
