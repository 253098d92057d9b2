using System.Data.Common;
using Overlap.Core.Timestamps;
using Overlap.Events;

namespace Overlap.Storage.DuckDb;

internal sealed partial class DuckDbStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<FeatureEvent>> ReadEventsAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        CancellationToken cancellationToken = default
    ) => ReadEventsAsync(feature, from, to, EventKinds.All, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<FeatureEvent>> ReadEventsAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        IReadOnlySet<EventKind> kinds,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentNullException.ThrowIfNull(feature);
        (string, object)[] range =
        [
            ("feature", feature),
            ("from", UnixMicroseconds.From(from)),
            ("to", UnixMicroseconds.From(to)),
        ];
        // Each row with its receipt time last, so that an id stored again beyond the dedup horizon is read once below.
        string From(string table) => $", received_us FROM {table} WHERE {InRange}";
        static Func<DbDataReader, (FeatureEvent, long)> Received(Func<DbDataReader, FeatureEvent> read) =>
            r => (read(r), r.GetInt64(r.FieldCount - 1));
        var events = new List<(FeatureEvent Event, long Received)>();
        if (kinds.Contains(EventKind.Prediction))
        {
            events.AddRange(
                await QueryAsync(
                        $"""
                        SELECT id, time_us, feature, model_version, score, prediction, latency_ms, cost, inputs, attributes,
                          output, input_tokens, output_tokens, conversation_id, model, error,
                          workflow_route, workflow_attempts, workflow_failed_checks, workflow_reason {From(
                            "predictions"
                        )}
                        """,
                        Received(r => new PredictionEvent
                        {
                            Id = r.GetString(0),
                            Time = UnixMicroseconds.ToTime(r.GetInt64(1)),
                            Feature = r.GetString(2),
                            ModelVersion = Text(r, 3),
                            Score = Number(r, 4),
                            Prediction = Text(r, 5),
                            LatencyMs = Number(r, 6),
                            Cost = Number(r, 7),
                            InputsJson = Text(r, 8),
                            AttributesJson = Text(r, 9),
                            Output = Text(r, 10),
                            InputTokens = Whole(r, 11),
                            OutputTokens = Whole(r, 12),
                            ConversationId = Text(r, 13),
                            Model = Text(r, 14),
                            Error = Text(r, 15),
                            Workflow = WorkflowColumns.Read(Text(r, 16), Whole(r, 17), Text(r, 18), Text(r, 19)),
                        }),
                        cancellationToken,
                        range
                    )
                    .ConfigureAwait(false)
            );
        }
        if (kinds.Contains(EventKind.Outcome))
        {
            events.AddRange(
                await QueryAsync(
                        $"SELECT id, time_us, feature, prediction_id, label, source {From("outcomes")}",
                        Received(r => new OutcomeEvent
                        {
                            Id = r.GetString(0),
                            Time = UnixMicroseconds.ToTime(r.GetInt64(1)),
                            Feature = r.GetString(2),
                            PredictionId = r.GetString(3),
                            Label = r.GetString(4),
                            Source = Text(r, 5),
                        }),
                        cancellationToken,
                        range
                    )
                    .ConfigureAwait(false)
            );
        }
        if (kinds.Contains(EventKind.Feedback))
        {
            events.AddRange(
                await QueryAsync(
                        $"SELECT id, time_us, feature, prediction_id, kind, edit_distance, final_length {From("feedback")}",
                        Received(r => new FeedbackEvent
                        {
                            Id = r.GetString(0),
                            Time = UnixMicroseconds.ToTime(r.GetInt64(1)),
                            Feature = r.GetString(2),
                            PredictionId = r.GetString(3),
                            FeedbackKind = r.GetString(4),
                            EditDistance = Whole(r, 5),
                            FinalLength = Whole(r, 6),
                        }),
                        cancellationToken,
                        range
                    )
                    .ConfigureAwait(false)
            );
        }
        if (kinds.Contains(EventKind.Business))
        {
            events.AddRange(
                await QueryAsync(
                        $"SELECT id, time_us, feature, prediction_id, name, value {From("business")}",
                        Received(r => new BusinessEvent
                        {
                            Id = r.GetString(0),
                            Time = UnixMicroseconds.ToTime(r.GetInt64(1)),
                            Feature = r.GetString(2),
                            PredictionId = Text(r, 3),
                            Name = r.GetString(4),
                            Value = r.GetDouble(5),
                        }),
                        cancellationToken,
                        range
                    )
                    .ConfigureAwait(false)
            );
        }
        return
        [
            .. FirstOfEachId(events).OrderBy(e => e.Time).ThenBy(e => e.Kind).ThenBy(e => e.Id, StringComparer.Ordinal),
        ];
    }

    /// <summary>
    /// Each event once by kind and id, as <see cref="StoreSchema.FirstReceived"/> picks it: the earliest time, the first
    /// received of copies at the same time. Kept in a dictionary as read: grouping in SQL costs several times the read.
    /// </summary>
    private static IEnumerable<FeatureEvent> FirstOfEachId(List<(FeatureEvent Event, long Received)> rows)
    {
        var first = new Dictionary<(EventKind, string), (FeatureEvent Event, long Received)>(rows.Count);
        foreach (var row in rows)
        {
            var key = (row.Event.Kind, row.Event.Id);
            if (
                !first.TryGetValue(key, out var kept)
                || (row.Event.Time, row.Received).CompareTo((kept.Event.Time, kept.Received)) < 0
            )
            {
                first[key] = row;
            }
        }
        return first.Values.Select(r => r.Event);
    }

    private static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static double? Number(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);

    private static long? Whole(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);
}
