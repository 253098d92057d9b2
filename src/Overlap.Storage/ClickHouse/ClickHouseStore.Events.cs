using Overlap.Core.Timestamps;
using Overlap.Events;

namespace Overlap.Storage.ClickHouse;

internal sealed partial class ClickHouseStore
{
    private const long HourUs = 3_600_000_000;

    /// <inheritdoc />
    public Task<AppendResult> AppendAsync(
        IReadOnlyList<FeatureEvent> events,
        DateTimeOffset receivedAt,
        CancellationToken cancellationToken = default
    ) => AppendAsync(events, receivedAt, null, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// The events are inserted first and the position after them. A crash between the two leaves the position behind
    /// its events: the loader loads the same frames again, every key is then found stored and nothing is doubled.
    /// </remarks>
    public Task<AppendResult> AppendFromLogAsync(
        IReadOnlyList<FeatureEvent> events,
        DateTimeOffset receivedAt,
        long logPosition,
        CancellationToken cancellationToken = default
    ) => AppendAsync(events, receivedAt, logPosition, cancellationToken);

    /// <inheritdoc />
    public async Task<long?> GetLogPositionAsync(CancellationToken cancellationToken = default)
    {
        var rows = await _http
            .QueryAsync(
                $"SELECT max(position), count() FROM {Table("ingest_log")} WHERE instance = {ClickHouseSql.Literal(_instance)}",
                r => (Position: r.Int64(), Rows: r.UInt64()),
                cancellationToken
            )
            .ConfigureAwait(false);
        return rows[0].Rows == 0 ? null : rows[0].Position;
    }

    private async Task<AppendResult> AppendAsync(
        IReadOnlyList<FeatureEvent> events,
        DateTimeOffset receivedAt,
        long? logPosition,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0 && logPosition is null)
        {
            return default;
        }
        var received = UnixMicroseconds.From(receivedAt);
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var batch = await KeyedAsync(events, cancellationToken).ConfigureAwait(false);
            var times = await PredictionTimesAsync(batch, cancellationToken).ConfigureAwait(false);
            await InsertAsync(batch, received, times, cancellationToken).ConfigureAwait(false);
            // The hours of every event in the batch are marked, the ones found stored too: an earlier try that stored
            // them may have failed before marking them (the number only moves more often than needed).
            await MarkChangedAsync([.. batch.Select(b => (b.Event, b.Feature))], times, cancellationToken)
                .ConfigureAwait(false);
            if (logPosition is { } position)
            {
                var row = new RowBinaryWriter().String(_instance).Int64(position);
                await _http
                    .InsertAsync(Table("ingest_log"), "instance, position", row, cancellationToken)
                    .ConfigureAwait(false);
            }
            var added = batch.Count(b => b.IsNew);
            return new AppendResult(added, events.Count - added);
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>
    /// The batch's events, the first of each key, each with its feature (filled in from its prediction when sent
    /// without one) and whether its key is not stored yet.
    /// </summary>
    private async Task<List<(FeatureEvent Event, string Feature, bool IsNew)>> KeyedAsync(
        IReadOnlyList<FeatureEvent> events,
        CancellationToken cancellationToken
    )
    {
        var missing = events
            .Where(e => FeatureOf(e) is null)
            .Select(PredictionIdOf)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var fill = new Dictionary<string, string>(StringComparer.Ordinal);
        if (missing.Count > 0)
        {
            var stored = await _http
                .QueryAsync(
                    $"SELECT id, min(feature) FROM {Table("predictions")} WHERE id IN ({ClickHouseSql.List(missing)}) GROUP BY id",
                    r => (Id: r.String(), Feature: r.String()),
                    cancellationToken
                )
                .ConfigureAwait(false);
            var sent = events.OfType<PredictionEvent>().Select(p => (p.Id, p.Feature));
            foreach (var (id, feature) in stored.Select(s => (s.Id, s.Feature)).Concat(sent))
            {
                if (!fill.TryGetValue(id, out var known) || string.CompareOrdinal(feature, known) < 0)
                {
                    fill[id] = feature;
                }
            }
        }
        var keyed = events
            .Select(e => (Event: e, Feature: FeatureOf(e) ?? fill.GetValueOrDefault(PredictionIdOf(e) ?? "", "")))
            .ToList();
        var result = new List<(FeatureEvent, string, bool)>();
        foreach (var kind in keyed.GroupBy(k => k.Event.Kind))
        {
            // Both key columns in the condition, so the primary index (feature, id) finds the keys without a scan.
            var features = ClickHouseSql.List(kind.Select(k => k.Feature).Distinct(StringComparer.Ordinal));
            var ids = ClickHouseSql.List(kind.Select(k => k.Event.Id).Distinct(StringComparer.Ordinal));
            var stored = (
                await _http
                    .QueryAsync(
                        $"SELECT DISTINCT feature, id FROM {Table(TableOf(kind.Key))} "
                            + $"WHERE feature IN ({features}) AND id IN ({ids})",
                        r => (Feature: r.String(), Id: r.String()),
                        cancellationToken
                    )
                    .ConfigureAwait(false)
            ).ToHashSet();
            var first = new HashSet<(string, string)>();
            result.AddRange(
                kind.Where(k => first.Add((k.Feature, k.Event.Id)))
                    .Select(k => (k.Event, k.Feature, !stored.Contains((k.Feature, k.Event.Id))))
            );
        }
        return result;
    }

    /// <summary>
    /// Inserts the batch's events whose keys are not stored, one block per kind of event, in the batch's order. A stored
    /// event is never sent again: the first delivery of an id is the one kept (a copy sent later with other fields, or
    /// another time and so another monthly partition, would otherwise win or be read twice). A batch sent again after
    /// a failure (the loader retries the same log frames) still gives each shard the same block as the first time: an
    /// insert into the Distributed table is atomic per shard, so a shard's events are either all stored (found by the
    /// key check, and not sent) or none are (sent as the same block, which a replicated shard that already has it drops
    /// before any merge). What slips past both (a key check read from a replica that has not caught up, two instances
    /// loading one event at once) is a row with the same key and content on the same shard: <c>FINAL</c> reads it once
    /// and a merge removes it.
    /// </summary>
    /// <remarks>
    /// New outcomes go into <c>outcome_hours</c> first, under their prediction's hour: a try that stops between the two
    /// inserts leaves the outcomes unstored, so the next try sends both again (the copy in <c>outcome_hours</c> has the
    /// same key and is kept once), and a stored outcome always has its row there.
    /// </remarks>
    private async Task InsertAsync(
        List<(FeatureEvent Event, string Feature, bool IsNew)> batch,
        long received,
        ILookup<(string Feature, string Id), long> times,
        CancellationToken cancellationToken
    )
    {
        foreach (var kind in batch.Where(b => b.IsNew).GroupBy(b => b.Event.Kind))
        {
            if (kind.Key == EventKind.Outcome)
            {
                var hours = new RowBinaryWriter();
                foreach (var (e, feature, _) in kind)
                {
                    var o = (OutcomeEvent)e;
                    var time = times[(feature, o.PredictionId)].DefaultIfEmpty(long.MinValue).Min();
                    hours
                        .String(feature)
                        .Int64(time == long.MinValue ? -1 : FloorHour(time))
                        .String(o.PredictionId)
                        .String(o.Id)
                        .String(o.Label)
                        .Int64(UnixMicroseconds.From(o.Time));
                }
                await _http
                    .InsertAsync(
                        Table("outcome_hours"),
                        "feature, prediction_hour, prediction_id, id, label, time_us",
                        hours,
                        cancellationToken
                    )
                    .ConfigureAwait(false);
            }
            var rows = new RowBinaryWriter();
            foreach (var (e, feature, _) in kind)
            {
                rows.String(feature).String(e.Id);
                Write(rows, e, received);
            }
            await _http
                .InsertAsync(Table(TableOf(kind.Key)), ColumnsOf(kind.Key), rows, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private static void Write(RowBinaryWriter rows, FeatureEvent e, long received)
    {
        var time = UnixMicroseconds.From(e.Time);
        switch (e)
        {
            case PredictionEvent p:
                rows.Int64(time)
                    .String(p.ModelVersion, nullable: true)
                    .Float64(p.Score)
                    .String(p.Prediction, nullable: true)
                    .Float64(p.LatencyMs)
                    .Float64(p.Cost)
                    .String(p.InputsJson, nullable: true)
                    .String(p.AttributesJson, nullable: true)
                    .Int64(received)
                    .String(p.Output, nullable: true)
                    .Int64(p.InputTokens)
                    .Int64(p.OutputTokens)
                    .String(p.ConversationId, nullable: true)
                    .String(p.Model, nullable: true)
                    .String(p.Error, nullable: true)
                    .String(p.Workflow?.Route, nullable: true)
                    .Int64(p.Workflow is { } w ? w.Attempts : null)
                    .String(WorkflowColumns.Checks(p.Workflow), nullable: true)
                    .String(p.Workflow?.Reason, nullable: true);
                break;
            case OutcomeEvent o:
                rows.String(o.PredictionId)
                    .String(o.Label)
                    .String(o.Source, nullable: true)
                    .Int64(time)
                    .Int64(received);
                break;
            case FeedbackEvent f:
                rows.String(f.PredictionId)
                    .String(f.FeedbackKind)
                    .Int64(time)
                    .Int64(received)
                    .Int64(f.EditDistance)
                    .Int64(f.FinalLength);
                break;
            case BusinessEvent b:
                rows.String(b.Name).Float64(b.Value).String(b.PredictionId, nullable: true).Int64(time).Int64(received);
                break;
            default:
                throw new ArgumentException($"unknown event type {e.GetType().Name}", nameof(e));
        }
    }

    /// <summary>
    /// Marks the hours whose predictions the batch changed (new predictions; new labels and feedback, in their prediction's hour)
    /// with a new change number, after the rows are stored: a report computed at an earlier number is then stale.
    /// </summary>
    private async Task MarkChangedAsync(
        List<(FeatureEvent Event, string Feature)> batch,
        ILookup<(string Feature, string Id), long> times,
        CancellationToken cancellationToken
    )
    {
        var hours = batch
            .Where(b => b.Event is PredictionEvent)
            .Select(b => (b.Feature, Hour: FloorHour(UnixMicroseconds.From(b.Event.Time))))
            .ToHashSet();
        // Labels and feedback change their prediction's hour (a generative window counts the feedback on its outputs).
        foreach (var (e, feature) in batch)
        {
            if (Named(e) is { } predictionId)
            {
                foreach (var time in times[(feature, predictionId)])
                {
                    hours.Add((feature, FloorHour(time)));
                }
            }
        }
        await MarkHoursAsync(hours, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The prediction an outcome or a piece of feedback names; null for other events.</summary>
    private static string? Named(FeatureEvent e) =>
        e switch
        {
            OutcomeEvent o => o.PredictionId,
            FeedbackEvent f => f.PredictionId,
            _ => null,
        };

    /// <summary>
    /// The times of the predictions the batch's outcomes and feedback name, by (feature, id): as stored, else as sent in
    /// the batch (not stored yet); none for a prediction neither holds.
    /// </summary>
    private async Task<ILookup<(string Feature, string Id), long>> PredictionTimesAsync(
        List<(FeatureEvent Event, string Feature, bool IsNew)> batch,
        CancellationToken cancellationToken
    )
    {
        var named = batch
            .Where(b => Named(b.Event) is not null)
            .Select(b => (b.Feature, Id: Named(b.Event)!))
            .ToHashSet();
        if (named.Count == 0)
        {
            return Array.Empty<((string, string), long)>().ToLookup(t => t.Item1, t => t.Item2);
        }
        var features = ClickHouseSql.List(named.Select(n => n.Feature).Distinct(StringComparer.Ordinal));
        var ids = ClickHouseSql.List(named.Select(n => n.Id).Distinct(StringComparer.Ordinal));
        var stored = await _http
            .QueryAsync(
                $"SELECT DISTINCT feature, id, time_us FROM {Table("predictions")} WHERE feature IN ({features}) AND id IN ({ids})",
                r => (Key: (Feature: r.String(), Id: r.String()), Time: r.Int64()),
                cancellationToken
            )
            .ConfigureAwait(false);
        var found = stored.Select(s => s.Key).ToHashSet();
        var sent = batch
            .Where(b => b.Event is PredictionEvent && named.Contains((b.Feature, b.Event.Id)))
            .Where(b => !found.Contains((b.Feature, b.Event.Id)))
            .Select(b => (Key: (b.Feature, b.Event.Id), Time: UnixMicroseconds.From(b.Event.Time)));
        return stored.Concat(sent).ToLookup(t => t.Key, t => t.Time);
    }

    /// <summary>Marks <paramref name="hours"/> (feature, hour since the epoch) with a new change number; none, nothing.</summary>
    private async Task MarkHoursAsync(HashSet<(string Feature, long Hour)> hours, CancellationToken cancellationToken)
    {
        if (hours.Count == 0)
        {
            return;
        }
        var change = await NextChangeAsync(
                hours.Select(h => h.Feature).Distinct(StringComparer.Ordinal),
                cancellationToken
            )
            .ConfigureAwait(false);
        var rows = new RowBinaryWriter();
        foreach (var (feature, hour) in hours)
        {
            rows.String(feature).Int64(hour).Int64(change);
        }
        await _http
            .InsertAsync(Table("changed_hours"), "feature, hour, change", rows, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// A change number above every one stored for <paramref name="features"/> and every one this instance gave: the
    /// clock in microseconds, or one more than the largest seen when that is later. Instances share no counter, so the
    /// clock keeps numbers from two instances in the order they were written (to within the clocks' skew, which the
    /// stored maximum bounds); a number that moves more often than needed only makes a report be computed again.
    /// </summary>
    private async Task<long> NextChangeAsync(IEnumerable<string> features, CancellationToken cancellationToken)
    {
        var stored = await _http
            .QueryAsync(
                $"SELECT max(change) FROM {Table("changed_hours")} WHERE feature IN ({ClickHouseSql.List(features)})",
                r => r.Int64(),
                cancellationToken
            )
            .ConfigureAwait(false);
        var next = Math.Max(UnixMicroseconds.From(_time.GetUtcNow()), Math.Max(_lastChange, stored[0]) + 1);
        _lastChange = next;
        return next;
    }

    /// <summary>The hour (since the epoch) a time falls in, rounding down before 1970 too.</summary>
    internal static long FloorHour(long us) => us >= 0 || us % HourUs == 0 ? us / HourUs : (us / HourUs) - 1;

    private static string? FeatureOf(FeatureEvent e) =>
        e switch
        {
            PredictionEvent p => p.Feature,
            OutcomeEvent o => o.Feature,
            FeedbackEvent f => f.Feature,
            BusinessEvent b => b.Feature,
            _ => null,
        };

    private static string? PredictionIdOf(FeatureEvent e) =>
        e switch
        {
            OutcomeEvent o => o.PredictionId,
            FeedbackEvent f => f.PredictionId,
            BusinessEvent b => b.PredictionId,
            _ => null,
        };

    private static string TableOf(EventKind kind) =>
        kind switch
        {
            EventKind.Prediction => "predictions",
            EventKind.Outcome => "outcomes",
            EventKind.Feedback => "feedback",
            EventKind.Business => "business",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "an unknown event kind"),
        };

    private static string ColumnsOf(EventKind kind) =>
        "feature, id, "
        + kind switch
        {
            EventKind.Prediction =>
                "time_us, model_version, score, prediction, latency_ms, cost, inputs, attributes, received_us, output, "
                    + "input_tokens, output_tokens, conversation_id, model, error, "
                    + WorkflowColumns.Names,
            EventKind.Outcome => "prediction_id, label, source, time_us, received_us",
            EventKind.Feedback => "prediction_id, kind, time_us, received_us, edit_distance, final_length",
            EventKind.Business => "name, value, prediction_id, time_us, received_us",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "an unknown event kind"),
        };
}
