namespace Overlap.Storage;

/// <summary>One prediction tied to a subject: its feature, id and time (which windows its figures fell in).</summary>
public sealed record SubjectPrediction(string Feature, string Id, DateTimeOffset Time);

/// <summary>The events an event store holds (or erased) for one subject: the predictions and what follows from them.</summary>
public sealed record SubjectEvents(
    IReadOnlyList<SubjectPrediction> Predictions,
    long Outcomes,
    long Feedback,
    long Business
);

/// <summary>What a state store holds (or forgot) about a subject's predictions.</summary>
public sealed record SubjectState(long ReviewItems, long ReviewDecisions, long ModelGrades, long WindowReports);
