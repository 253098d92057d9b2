using Overlap.Core.Generative;
using Overlap.Server.Monitoring;
using Overlap.Storage;

namespace Overlap.Server.Judging;

/// <summary>
/// Rubric grades as stored: people's from settling review decisions (<see cref="IReviewStore.ReviewGradesAsync"/>),
/// then the model judge's (<see cref="IModelGradeStore"/>), a no-verdict answer kept as a null grade.
/// </summary>
internal sealed class StoredRubricGrades(IReviewStore reviews, IModelGradeStore models) : IRubricGradeSource
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<RubricGrade>> GradesAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        CancellationToken cancellationToken
    )
    {
        var people = await reviews.ReviewGradesAsync(feature, from, to, cancellationToken).ConfigureAwait(false);
        var model = await models.ModelGradesAsync(feature, from, to, cancellationToken).ConfigureAwait(false);
        return [.. people, .. model.Select(g => new RubricGrade(g.OutputId, g.Criterion, g.Grade, GradeSource.Model))];
    }
}
