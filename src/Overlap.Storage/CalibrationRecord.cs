namespace Overlap.Storage;

/// <summary>A feature's score calibration refitted on the labelled predictions of a period.</summary>
/// <param name="Feature">The feature.</param>
/// <param name="From">The period's start (inclusive).</param>
/// <param name="To">The period's end (exclusive).</param>
/// <param name="Rows">How many labelled predictions (users' labels and reviewers' decisions) it was fitted on.</param>
/// <param name="FittedBy">Who asked for it (the key's or user's name).</param>
/// <param name="FittedAt">When.</param>
public sealed record CalibrationRecord(
    string Feature,
    DateTimeOffset From,
    DateTimeOffset To,
    long Rows,
    string FittedBy,
    DateTimeOffset FittedAt
);
