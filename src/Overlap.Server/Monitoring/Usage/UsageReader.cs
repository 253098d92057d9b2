using Overlap.Core.Contracts;
using Overlap.Core.Monitoring;
using Overlap.Core.Usage;
using Overlap.Events;
using Overlap.Server.Ingest;
using Overlap.Storage;

namespace Overlap.Server.Monitoring.Usage;

/// <summary>
/// A feature's users and business impact over a range (<see cref="UsageTally"/>): the feedback and business events
/// that followed its predictions are read first (up to <see cref="ResponseGrace"/> after the range), then its
/// predictions a chunk at a time, so memory holds the responses and the users, never the predictions.
/// </summary>
internal sealed class UsageReader(IEventReader events, LogLoader loader, ServerOptions options)
{
    /// <summary>How long after the range feedback and business events on its predictions still count.</summary>
    public static readonly TimeSpan ResponseGrace = GenerativeWindows.FeedbackGrace;

    /// <summary>Weeks shown when no range is asked for.</summary>
    public const int DefaultWeeks = 12;

    /// <summary>Days shown when no range is asked for and the period is a day.</summary>
    public const int DefaultDays = 30;

    /// <summary>The report over [<paramref name="from"/>, <paramref name="to"/>), which starts a period.</summary>
    public async Task<UsageReport> ReadAsync(
        Contract contract,
        DateTimeOffset from,
        DateTimeOffset to,
        UsagePeriod period,
        CancellationToken cancellationToken
    )
    {
        var now = options.Time.GetUtcNow();
        await loader.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var responses = new UsageResponses();
        var until = to + ResponseGrace;
        foreach (
            var e in await events
                .ReadEventsAsync(contract.Feature, from, until, EventKinds.Responses, cancellationToken)
                .ConfigureAwait(false)
        )
        {
            switch (e)
            {
                case FeedbackEvent f:
                    responses.Feedback(f.PredictionId, f.FeedbackKind);
                    break;
                case BusinessEvent { PredictionId: { } prediction } b:
                    responses.Business(prediction, b.Name, b.Value);
                    break;
            }
        }
        var tally = new UsageTally(contract, responses, from, to, now, period);
        IReadOnlyList<string> attributes = contract.Usage?.User is { } user ? [user] : [];
        await foreach (
            var chunk in events
                .ReadPredictionChunksAsync(
                    contract.Feature,
                    from,
                    to,
                    attributes,
                    WindowComputation.ChunkRows,
                    cancellationToken
                )
                .ConfigureAwait(false)
        )
        {
            var users = attributes.Count == 0 ? null : chunk.Attributes[attributes[0]];
            for (var i = 0; i < chunk.Count; i++)
            {
                var score = chunk.Scores[i];
                tally.Add(
                    chunk.Ids[i],
                    chunk.TimesUs[i],
                    users?[i],
                    ProductionDecision.Of(contract, chunk.Predictions[i], double.IsNaN(score) ? null : score),
                    chunk.Labels[i],
                    chunk.ModelVersions[i]
                );
            }
        }
        return tally.Report();
    }

    /// <summary>
    /// The range asked for, or the last <see cref="DefaultWeeks"/> weeks (or <see cref="DefaultDays"/> days) up to the
    /// end of the current one; the start is moved back to a period's start. Null with the reason when it cannot be used.
    /// </summary>
    public static (DateTimeOffset From, DateTimeOffset To)? Range(
        DateTimeOffset? from,
        DateTimeOffset? to,
        UsagePeriod period,
        DateTimeOffset now,
        out string? problem
    )
    {
        problem = null;
        var length = TimeSpan.FromDays(period == UsagePeriod.Week ? 7 : 1);
        var end = to ?? UsageTally.Floor(now, period) + length;
        var start = UsageTally.Floor(
            from ?? end - (period == UsagePeriod.Week ? DefaultWeeks * length : DefaultDays * length),
            period
        );
        if (start >= end)
        {
            problem = "from must be before to, e.g. ?from=2026-09-07&to=2026-12-07";
            return null;
        }
        if ((end - start).TotalDays > UsageTally.MaxDays)
        {
            problem =
                $"a usage report covers at most {UsageTally.MaxDays} days (53 weeks); ask for a shorter range, e.g. ?from=2026-01-05&to=2026-04-06";
            return null;
        }
        return (start, end);
    }
}
