using Overlap.Core.Experiments;

namespace Overlap.Server.Experiments;

/// <summary>
/// An experiment day by day: the analysis as it read at the end of each day since the experiment started (every 24
/// hours from its start), the last one now, each on the predictions stored up to that moment.
/// </summary>
/// <param name="Started">When the experiment first appeared in the feature's contract.</param>
/// <param name="Moments">One per day since the start, oldest first; the last is now.</param>
internal sealed record ExperimentHistory(DateTimeOffset Started, IReadOnlyList<ExperimentMoment> Moments)
{
    /// <summary>The experiment now: the last moment.</summary>
    public ExperimentMoment Now => Moments[^1];

    /// <summary>
    /// The moments to read the experiment at: every 24 hours after <paramref name="start"/> that is before
    /// <paramref name="now"/>, then <paramref name="now"/>; at most one per day however long it ran.
    /// </summary>
    public static IEnumerable<DateTimeOffset> Times(DateTimeOffset start, DateTimeOffset now)
    {
        for (var at = start.AddDays(1); at < now; at = at.AddDays(1))
        {
            yield return at;
        }
        yield return now;
    }
}

/// <summary>The experiment as it read at one moment.</summary>
/// <param name="At">The moment: the predictions stored up to it count.</param>
/// <param name="ControlUnits">The units the control arm had then.</param>
/// <param name="TreatmentUnits">The units the treatment arm had then.</param>
/// <param name="Report">The analysis as it read then.</param>
internal sealed record ExperimentMoment(
    DateTimeOffset At,
    long ControlUnits,
    long TreatmentUnits,
    ExperimentReport Report
);
