using Overlap.Core.Generative;

namespace Overlap.Server.Monitoring;

/// <summary>The one reader of a generative feature's rubric grades: people's from the review queue, and the model judge's.</summary>
public interface IRubricGradeSource
{
    /// <summary>The grades, people's and the model's, of outputs predicted in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    Task<IReadOnlyList<RubricGrade>> GradesAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        CancellationToken cancellationToken
    );
}
