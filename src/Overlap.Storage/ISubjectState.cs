namespace Overlap.Storage;

/// <summary>
/// What the state store keeps about given predictions of a subject: review items (with their copy of the inputs), review
/// decisions, model grades, and the stored window reports whose figures counted them.
/// </summary>
public interface ISubjectState
{
    /// <summary>How much is held about <paramref name="predictions"/>.</summary>
    Task<SubjectState> CountAsync(
        IReadOnlyList<SubjectPrediction> predictions,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// Deletes it, in one transaction; the window reports that counted the predictions are deleted too, so their figures
    /// are computed again, without the subject, when next read.
    /// </summary>
    Task<SubjectState> ForgetAsync(
        IReadOnlyList<SubjectPrediction> predictions,
        CancellationToken cancellationToken = default
    );
}
