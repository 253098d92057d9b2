namespace Overlap.Core.Generative;

/// <summary>Whether a model judge's grades can stand in for people's on one rubric criterion.</summary>
public enum JudgeAgreementVerdict
{
    /// <summary>Not enough outputs graded by both to say either way: the model's grades do not count yet.</summary>
    NotEnoughData,

    /// <summary>The agreement interval's lower bound reaches <c>min_agreement</c>: the model's grades count.</summary>
    CanStandIn,

    /// <summary>The agreement interval's upper bound is below <c>min_agreement</c>: the model's grades do not count.</summary>
    CannotStandIn,
}
