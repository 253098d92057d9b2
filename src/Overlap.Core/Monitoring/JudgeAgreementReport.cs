using Overlap.Core.Generative;

namespace Overlap.Core.Monitoring;

/// <summary>
/// How far a generative feature's model judge can be trusted: its agreement with people on each rubric criterion over
/// a period, and so whether its grades count there.
/// </summary>
public sealed record JudgeAgreementReport
{
    /// <summary>The feature.</summary>
    public required string Feature { get; init; }

    /// <summary>Where the period starts (inclusive): grades of outputs predicted from here count.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>Where the period ends (exclusive).</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>The agreement per criterion, in contract order, each with its statement.</summary>
    public required IReadOnlyList<JudgeAgreement> Criteria { get; init; }
}
