namespace Overlap.Core.Generative;

/// <summary>Who gave a rubric grade.</summary>
public enum GradeSource
{
    /// <summary>A person: a grade column in the data, or a reviewer in the review queue.</summary>
    Person,

    /// <summary>A model judge (an <c>IChatClient</c>).</summary>
    Model,
}
