namespace Overlap.Storage;

/// <summary>
/// The events of one subject (a person), found by the hashed id a contract's <c>privacy.subject</c> field holds: every
/// prediction whose inputs or attributes hold <c>"hash"</c> as a value, and the outcomes, feedback and business results
/// that name those predictions. Business results sent without a prediction id cannot be tied to anyone and are not found.
/// </summary>
public interface ISubjectEvents
{
    /// <summary>What is held for the subject whose hashed id is <paramref name="hash"/>.</summary>
    Task<SubjectEvents> FindSubjectAsync(string hash, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes every event of the subject in one transaction (on ClickHouse, mutations the call waits for) and returns
    /// what was deleted. Erasing a subject with no events deletes nothing and is not an error.
    /// </summary>
    Task<SubjectEvents> EraseSubjectAsync(string hash, CancellationToken cancellationToken = default);
}
