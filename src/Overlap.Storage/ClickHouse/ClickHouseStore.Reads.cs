using System.Globalization;
using Overlap.Core.Sampling;
using Overlap.Core.Timestamps;
using Overlap.Events;

namespace Overlap.Storage.ClickHouse;

internal sealed partial class ClickHouseStore
{
    /// <inheritdoc />
    public Task<ProductionRows> ReadPredictionsAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        IReadOnlyList<string> attributes,
        int? sample = null,
        CancellationToken cancellationToken = default
    ) => ReadAsync(feature, from, to, attributes, sample, labelled: true, cancellationToken);

    /// <inheritdoc />
    public Task<ProductionRows> ReadUnlabelledPredictionsAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        IReadOnlyList<string> attributes,
        int? sample = null,
        CancellationToken cancellationToken = default
    ) => ReadAsync(feature, from, to, attributes, sample, labelled: false, cancellationToken);

    /// <summary>The rows of <see cref="ReadPredictionsAsync"/>, with their labels (read under the predictions' hours, see <see cref="Labels"/>) or without.</summary>
    private async Task<ProductionRows> ReadAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        IReadOnlyList<string> attributes,
        int? sample,
        bool labelled,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(feature);
        ArgumentNullException.ThrowIfNull(attributes);
        var range = Range(feature, from, to);
        if (sample is { } size)
        {
            // StableSample's rule, the same in every store: the rows whose ids have the smallest keys. ClickHouse 18.16
            // has no XXH64, so only the ids are read first, the sample is picked here as they stream in (holding the
            // sample, not the range's millions of ids), and only its rows are read. The ids are not made distinct in
            // ClickHouse: at 10,000,000 a day, DISTINCT over a 7-day reference's 70,000,000 ids passed the 2 GB a
            // query mid-answer; the pick takes an id that comes twice (a copy not merged yet) once.
            var (picked, count) = await StableSample
                .PickAsync(
                    IdsAsync($"SELECT id FROM {Table("predictions")} {range}", cancellationToken),
                    size,
                    cancellationToken
                )
                .ConfigureAwait(false);
            if (size < count)
            {
                range += picked.Count == 0 ? " AND 0" : $" AND id IN ({ClickHouseSql.List(picked)})";
            }
        }
        var pool = new TextPool();
        var rows = new PredictionColumns(attributes, pool, labelled: false);
        // Each row goes into the columns as it streams in; its attributes and inputs JSON is read there and dropped.
        await _http
            .ReadAsync(
                $"SELECT {PredictionColumns.Names(attributes)} FROM {Table("predictions")} FINAL {range} ORDER BY time_us, id",
                rows.Add,
                cancellationToken
            )
            .ConfigureAwait(false);
        if (!labelled)
        {
            return rows.Build(_ => null);
        }
        // The latest outcome of each prediction in range (argMax by time), joined here by id.
        var labels = (
            await _http
                .QueryAsync(
                    Labels(feature, from, to, $"SELECT id FROM {Table("predictions")} {range}", nullable: false),
                    r => (Id: r.String(), Label: r.String()),
                    cancellationToken
                )
                .ConfigureAwait(false)
        ).ToDictionary(l => l.Id, l => pool.Intern(l.Label), StringComparer.Ordinal);
        return rows.Build(labels.GetValueOrDefault);
    }

    /// <summary>The first column of each row of <paramref name="sql"/>, as text, as the answer streams in.</summary>
    private async IAsyncEnumerable<string> IdsAsync(
        string sql,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken
    )
    {
        await foreach (var row in _http.RowsAsync(sql, cancellationToken).ConfigureAwait(false))
        {
            yield return row.String();
        }
    }

    /// <summary>
    /// The columns of a read of predictions, filled a row at a time as the answer streams in: the row's id, time,
    /// score, prediction, latency, cost, model version, workflow, the JSON its attributes are read from (then
    /// dropped) and, when labelled, its label.
    /// </summary>
    private sealed class PredictionColumns(IReadOnlyList<string> attributes, TextPool pool, bool labelled)
    {
        private readonly List<string> _ids = [];
        private readonly List<long> _times = [];
        private readonly List<double> _scores = [];
        private readonly List<string?> _predictions = [];
        private readonly List<double> _latencies = [];
        private readonly List<double> _costs = [];
        private readonly List<string?> _versions = [];
        private readonly List<WorkflowTrace?> _workflows = [];
        private readonly List<string?> _labels = [];
        private readonly List<string?>[] _values = [.. attributes.Select(_ => new List<string?>())];

        /// <summary>The columns <see cref="Add"/> reads, in its order (a labelled read adds <c>label</c>).</summary>
        public static string Names(IReadOnlyList<string> attributes) =>
            "id, time_us, score, prediction, latency_ms, cost, model_version, "
            + "workflow_route, workflow_attempts, workflow_failed_checks, "
            + (attributes.Count > 0 ? "attributes, inputs" : "NULL, NULL");

        public int Count => _ids.Count;

        public void Add(RowBinaryReader r)
        {
            _ids.Add(r.String());
            _times.Add(r.Int64());
            _scores.Add(r.NullableFloat64() ?? double.NaN);
            _predictions.Add(Intern(pool, r.NullableString()));
            _latencies.Add(r.NullableFloat64() ?? double.NaN);
            _costs.Add(r.NullableFloat64() ?? double.NaN);
            _versions.Add(Intern(pool, r.NullableString()));
            _workflows.Add(WorkflowColumns.Read(r.NullableString(), r.NullableInt64(), r.NullableString(), null, pool));
            var row = Values(r.NullableString(), r.NullableString(), attributes, pool);
            for (var a = 0; a < row.Length; a++)
            {
                _values[a].Add(row[a]);
            }
            if (labelled)
            {
                _labels.Add(Intern(pool, r.NullableString()));
            }
        }

        /// <summary>The rows read; their labels read with them, else from <paramref name="labelOf"/>.</summary>
        public ProductionRows Build(Func<string, string?>? labelOf = null) =>
            new()
            {
                Ids = [.. _ids],
                TimesUs = [.. _times],
                Scores = [.. _scores],
                Predictions = [.. _predictions],
                Labels = labelled ? [.. _labels] : [.. _ids.Select(id => labelOf?.Invoke(id))],
                LatencyMs = [.. _latencies],
                Costs = [.. _costs],
                ModelVersions = [.. _versions],
                Workflows = [.. _workflows],
                Attributes = attributes
                    .Select((name, a) => (name, a))
                    .ToDictionary(x => x.name, x => _values[x.a].ToArray(), StringComparer.Ordinal),
            };
    }

    /// <summary>Each named value from a prediction's attributes, else from its inputs (both JSON as stored).</summary>
    private static string?[] Values(
        string? attributesJson,
        string? inputsJson,
        IReadOnlyList<string> names,
        TextPool pool
    )
    {
        var values = JsonAttributes.Read(attributesJson, names);
        if (values.Any(v => v is null))
        {
            var inputs = JsonAttributes.Read(inputsJson, names);
            for (var i = 0; i < values.Length; i++)
            {
                values[i] ??= inputs[i];
            }
        }
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Intern(pool, values[i]);
        }
        return values;
    }

    private static string? Intern(TextPool pool, string? text) => text is null ? null : pool.Intern(text);

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> FeaturesOfPredictionsAsync(
        IReadOnlyCollection<string> predictionIds,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(predictionIds);
        if (predictionIds.Count == 0)
        {
            return new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        }
        var rows = await _http
            .QueryAsync(
                $"SELECT DISTINCT id, feature FROM {Table("predictions")} WHERE id IN ({ClickHouseSql.List(predictionIds)})",
                r => (Id: r.String(), Feature: r.String()),
                cancellationToken
            )
            .ConfigureAwait(false);
        return rows.GroupBy(r => r.Id, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<string>)[.. g.Select(r => r.Feature).Order(StringComparer.Ordinal)],
                StringComparer.Ordinal
            );
    }

    /// <inheritdoc />
    public Task<long> CurrentChangeAsync(string feature, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(feature);
        return LatestChangeAsync($"feature = {ClickHouseSql.Literal(feature)}", cancellationToken);
    }

    /// <inheritdoc />
    public Task<long> ChangeInRangeAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(feature);
        var first = FloorHour(UnixMicroseconds.From(from));
        var last = FloorHour(UnixMicroseconds.From(to) - 1);
        return LatestChangeAsync(
            $"feature = {ClickHouseSql.Literal(feature)} AND hour >= {ClickHouseSql.Literal(first)} AND hour <= {ClickHouseSql.Literal(last)}",
            cancellationToken
        );
    }

    private async Task<long> LatestChangeAsync(string where, CancellationToken cancellationToken) =>
        (
            await _http
                .QueryAsync(
                    $"SELECT max(change) FROM {Table("changed_hours")} WHERE {where}",
                    r => r.Int64(),
                    cancellationToken
                )
                .ConfigureAwait(false)
        )[0];

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
        var range = Range(feature, from, to);
        var events = new List<FeatureEvent>();
        if (kinds.Contains(EventKind.Prediction))
        {
            events.AddRange(
                await _http
                    .QueryAsync(
                        $"""
                        SELECT id, time_us, feature, model_version, score, prediction, latency_ms, cost, inputs, attributes,
                          output, input_tokens, output_tokens, conversation_id, model, error,
                          workflow_route, workflow_attempts, workflow_failed_checks, workflow_reason
                        FROM {Table("predictions")} FINAL {range}
                        """,
                        r => new PredictionEvent
                        {
                            Id = r.String(),
                            Time = UnixMicroseconds.ToTime(r.Int64()),
                            Feature = r.String(),
                            ModelVersion = r.NullableString(),
                            Score = r.NullableFloat64(),
                            Prediction = r.NullableString(),
                            LatencyMs = r.NullableFloat64(),
                            Cost = r.NullableFloat64(),
                            InputsJson = r.NullableString(),
                            AttributesJson = r.NullableString(),
                            Output = r.NullableString(),
                            InputTokens = r.NullableInt64(),
                            OutputTokens = r.NullableInt64(),
                            ConversationId = r.NullableString(),
                            Model = r.NullableString(),
                            Error = r.NullableString(),
                            Workflow = WorkflowColumns.Read(
                                r.NullableString(),
                                r.NullableInt64(),
                                r.NullableString(),
                                r.NullableString()
                            ),
                        },
                        cancellationToken
                    )
                    .ConfigureAwait(false)
            );
        }
        if (kinds.Contains(EventKind.Outcome))
        {
            events.AddRange(
                await _http
                    .QueryAsync(
                        $"SELECT id, time_us, feature, prediction_id, label, source FROM {Table("outcomes")} FINAL {range}",
                        r => new OutcomeEvent
                        {
                            Id = r.String(),
                            Time = UnixMicroseconds.ToTime(r.Int64()),
                            Feature = r.String(),
                            PredictionId = r.String(),
                            Label = r.String(),
                            Source = r.NullableString(),
                        },
                        cancellationToken
                    )
                    .ConfigureAwait(false)
            );
        }
        if (kinds.Contains(EventKind.Feedback))
        {
            events.AddRange(
                await _http
                    .QueryAsync(
                        $"SELECT id, time_us, feature, prediction_id, kind, edit_distance, final_length FROM {Table("feedback")} FINAL {range}",
                        r => new FeedbackEvent
                        {
                            Id = r.String(),
                            Time = UnixMicroseconds.ToTime(r.Int64()),
                            Feature = r.String(),
                            PredictionId = r.String(),
                            FeedbackKind = r.String(),
                            EditDistance = r.NullableInt64(),
                            FinalLength = r.NullableInt64(),
                        },
                        cancellationToken
                    )
                    .ConfigureAwait(false)
            );
        }
        if (kinds.Contains(EventKind.Business))
        {
            events.AddRange(
                await _http
                    .QueryAsync(
                        $"SELECT id, time_us, feature, prediction_id, name, value FROM {Table("business")} FINAL {range}",
                        r => new BusinessEvent
                        {
                            Id = r.String(),
                            Time = UnixMicroseconds.ToTime(r.Int64()),
                            Feature = r.String(),
                            PredictionId = r.NullableString(),
                            Name = r.String(),
                            Value = r.Float64(),
                        },
                        cancellationToken
                    )
                    .ConfigureAwait(false)
            );
        }
        return [.. events.OrderBy(e => e.Time).ThenBy(e => e.Kind).ThenBy(e => e.Id, StringComparer.Ordinal)];
    }

    /// <summary>
    /// A query of the latest label (by outcome time) of each prediction of <paramref name="feature"/> in [from, to) that
    /// <paramref name="predictionIds"/> (a query of ids) returns, as (id, label): read from <c>outcome_hours</c> by the
    /// predictions' hours (and the outcomes loaded before their prediction, under -1), not from a scan of every outcome
    /// of the feature. With <paramref name="nullable"/>, the label is Nullable (a join then gives NULL where none).
    /// </summary>
    private string Labels(string feature, DateTimeOffset from, DateTimeOffset to, string predictionIds, bool nullable)
    {
        var first = ClickHouseSql.Literal(FloorHour(UnixMicroseconds.From(from)));
        var last = ClickHouseSql.Literal(FloorHour(UnixMicroseconds.From(to) - 1));
        var label = nullable ? "toNullable(argMax(label, time_us))" : "argMax(label, time_us)";
        return $"SELECT prediction_id AS id, {label} AS label FROM {Table("outcome_hours")} "
            + $"PREWHERE prediction_id GLOBAL IN ({predictionIds}) "
            + $"WHERE feature = {ClickHouseSql.Literal(feature)} "
            + $"AND (prediction_hour = -1 OR (prediction_hour >= {first} AND prediction_hour <= {last})) "
            + "GROUP BY prediction_id";
    }

    /// <summary>
    /// A query of the latest label of each prediction of <paramref name="feature"/> in [from, to), as (id, Nullable
    /// label), for a join in ClickHouse (<c>ANY LEFT JOIN … USING id</c>) to the predictions that
    /// <paramref name="predictionIds"/> returns. An outcome in <c>outcome_hours</c> is filed under its prediction's hour,
    /// so the outcomes of the window's hours are read by their hours alone, without the set of the window's ids that
    /// <see cref="Labels"/> sends to every shard (measured on one server for a day of 1,000,000: 2.0 to 2.7 s with the
    /// set, 0.8 s without); a prediction of those hours outside [from, to) joins to nothing. The outcomes filed under no
    /// hour (-1: loaded before their prediction) are named by their prediction ids when there are at most
    /// <see cref="UnfiledLabelLimit"/> of them in the feature; more (a store upgraded from before the hours, whose
    /// outcomes were all filed under -1), the labels are read as <see cref="Labels"/> reads them.
    /// </summary>
    private async Task<string> JoinedLabelsAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        string predictionIds,
        CancellationToken cancellationToken
    )
    {
        var f = ClickHouseSql.Literal(feature);
        var unfiled = await _http
            .QueryAsync(
                $"SELECT DISTINCT prediction_id FROM {Table("outcome_hours")} WHERE feature = {f} AND prediction_hour = -1 "
                    + $"LIMIT {(UnfiledLabelLimit + 1).ToString(CultureInfo.InvariantCulture)}",
                r => r.String(),
                cancellationToken
            )
            .ConfigureAwait(false);
        if (unfiled.Count > UnfiledLabelLimit)
        {
            return Labels(feature, from, to, predictionIds, nullable: true);
        }
        var first = ClickHouseSql.Literal(FloorHour(UnixMicroseconds.From(from)));
        var last = ClickHouseSql.Literal(FloorHour(UnixMicroseconds.From(to) - 1));
        var hours = $"(prediction_hour >= {first} AND prediction_hour <= {last})";
        var filed =
            unfiled.Count == 0
                ? hours
                : $"({hours} OR (prediction_hour = -1 AND prediction_id IN ({ClickHouseSql.List(unfiled)})))";
        return $"SELECT prediction_id AS id, toNullable(argMax(label, time_us)) AS label FROM {Table("outcome_hours")} "
            + $"WHERE feature = {f} AND {filed} GROUP BY prediction_id";
    }

    /// <summary>The most prediction ids of outcomes filed under no hour that <see cref="JoinedLabelsAsync"/> names in its query.</summary>
    internal int UnfiledLabelLimit { get; set; } = 10_000;

    /// <summary>
    /// The rows of <paramref name="feature"/> whose time is in [from, to), as the end of a <c>FROM</c>: the time in
    /// <c>PREWHERE</c>, the feature in <c>WHERE</c> (more conditions may follow with <c>AND</c>). The tables are ordered
    /// by (feature, id), so a time range cannot use their index: without PREWHERE a <c>FINAL</c> read merged every row of
    /// the month before filtering (a two-hour slice of 14 million rows took 5.6 s on one shard, 0.56 s with it).
    /// PREWHERE filters before FINAL merges, which differs only where copies of one key have different times; the
    /// loader never sends a stored id again, so the only copies are one event loaded twice (by two instances at once,
    /// or a batch retried), with the same time.
    /// </summary>
    private static string Range(string feature, DateTimeOffset from, DateTimeOffset to) =>
        $"PREWHERE time_us >= {ClickHouseSql.Literal(UnixMicroseconds.From(from))} "
        + $"AND time_us < {ClickHouseSql.Literal(UnixMicroseconds.From(to))} "
        + $"WHERE feature = {ClickHouseSql.Literal(feature)}";
}
