using System.Text.Json.Serialization;

namespace Overlap.Core.Generative;

/// <summary>Whether a model judge's grades can stand in for people's on one rubric criterion.</summary>
public enum JudgeAgreementVerdict
{
    /// <summary>Not enough outputs graded by both to say either way: the model's grades do not count yet.</summary>
    [JsonStringEnumMemberName("not_enough_data")]
    NotEnoughData,

    /// <summary>The agreement interval's lower bound reaches <c>min_agreement</c>: the model's grades count.</summary>
    [JsonStringEnumMemberName("can_stand_in")]
    CanStandIn,

    /// <summary>The agreement interval's upper bound is below <c>min_agreement</c>: the model's grades do not count.</summary>
    [JsonStringEnumMemberName("cannot_stand_in")]
    CannotStandIn,
}
