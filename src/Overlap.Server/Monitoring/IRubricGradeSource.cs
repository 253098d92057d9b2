using Overlap.Core.Generative;

namespace Overlap.Server.Monitoring;

/// <summary>Where a generative feature's rubric grades come from: the one seam the window figures read them through.</summary>
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

/// <summary>The grade source of a server that stores no grades: there are none, so only checks and feedback are judged.</summary>
internal sealed class NoRubricGrades : IRubricGradeSource
{
    public Task<IReadOnlyList<RubricGrade>> GradesAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        CancellationToken cancellationToken
    ) => Task.FromResult<IReadOnlyList<RubricGrade>>([]);
}
