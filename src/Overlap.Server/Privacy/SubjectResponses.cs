namespace Overlap.Server.Privacy;

/// <summary>One prediction held for a subject.</summary>
public sealed record SubjectPredictionResponse(string Feature, string Id, DateTimeOffset Time);

/// <summary>
/// What is held about a subject (<c>GET /v1/subjects/{id}</c>) or what an erasure removed (<c>DELETE</c>, the receipt):
/// counts per kind, the predictions themselves, when, by whom, a sentence saying it, and the reference the audit log names
/// the subject by (<c>subject AUDITREF</c>).
/// </summary>
public sealed record SubjectResponse(
    string Subject,
    bool Erased,
    DateTimeOffset At,
    string By,
    long Predictions,
    long Outcomes,
    long Feedback,
    long Business,
    long ReviewItems,
    long ReviewDecisions,
    long ModelGrades,
    long WindowReports,
    IReadOnlyList<SubjectPredictionResponse> Items,
    string Statement,
    string AuditRef
);
