using System.Data.Common;
using System.Globalization;
using Overlap.Core.Timestamps;
using Overlap.Events;

namespace Overlap.Storage.DuckDb;

internal sealed partial class DuckDbStore
{
    /// <inheritdoc />
    public Task<AppendResult> AppendAsync(
        IReadOnlyList<FeatureEvent> events,
        DateTimeOffset receivedAt,
        CancellationToken cancellationToken = default
    ) => AppendAsync(events, receivedAt, null, cancellationToken);

    /// <inheritdoc />
    public Task<AppendResult> AppendFromLogAsync(
        IReadOnlyList<FeatureEvent> events,
        DateTimeOffset receivedAt,
        long logPosition,
        CancellationToken cancellationToken = default
    ) => AppendAsync(events, receivedAt, logPosition, cancellationToken);

    /// <inheritdoc />
    public async Task<long?> GetLogPositionAsync(CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync(
                "SELECT position FROM ingest_log WHERE id = 1",
                r => r.GetInt64(0),
                cancellationToken
            )
            .ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
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
            var staged = StageAll(events, received);
            using var transaction = _connection.BeginTransaction();
            long? change = null;
            var stored = 0;
            foreach (var (table, count, withoutFeature) in staged)
            {
                if (count == 0)
                {
                    continue;
                }
                var mark = StoreSchema.MarkChanged.GetValueOrDefault(table);
                // Business results name a prediction only to take its feature; outcomes and feedback also mark its hour.
                if (StoreSchema.FindLinks.GetValueOrDefault(table) is { } links && (withoutFeature || mark is not null))
                {
                    using var find = Command(links);
                    find.Transaction = transaction;
                    find.ExecuteNonQuery();
                }
                if (withoutFeature && StoreSchema.FillFeature.GetValueOrDefault(table) is { } fill)
                {
                    using var missing = Command(fill);
                    missing.Transaction = transaction;
                    missing.ExecuteNonQuery();
                }
                if (table == "outcomes")
                {
                    using var hour = Command(StoreSchema.FillPredictionHour);
                    hour.Transaction = transaction;
                    hour.ExecuteNonQuery();
                }
                using var move = Command(StoreSchema.MoveNew(table), ("since", received - _horizonUs));
                move.Transaction = transaction;
                stored += move.ExecuteNonQuery();
                if (mark is not null)
                {
                    if (change is null)
                    {
                        using var next = Command("SELECT nextval('change_seq')");
                        next.Transaction = transaction;
                        change = Convert.ToInt64(next.ExecuteScalar(), CultureInfo.InvariantCulture);
                    }
                    using var changed = Command(mark, ("change", change.Value));
                    changed.Transaction = transaction;
                    changed.ExecuteNonQuery();
                }
                using var clear = _connection.CreateCommand();
                clear.Transaction = transaction;
                clear.CommandText = $"DELETE FROM stage_{table}; DELETE FROM stage_links";
                clear.ExecuteNonQuery();
            }
            if (logPosition is { } position)
            {
                using var mark = Command(
                    "INSERT OR REPLACE INTO ingest_log VALUES (1, $position)",
                    ("position", position)
                );
                mark.Transaction = transaction;
                mark.ExecuteNonQuery();
            }
            transaction.Commit();
            return new AppendResult(stored, events.Count - stored);
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>
    /// Appends the events to the staging tables; per table (predictions first: the others are joined to them once
    /// moved), how many rows it staged and whether any of them came without a feature.
    /// </summary>
    private List<(string Table, int Count, bool WithoutFeature)> StageAll(
        IReadOnlyList<FeatureEvent> events,
        long received
    )
    {
        var counts = new Dictionary<string, int>
        {
            ["predictions"] = 0,
            ["outcomes"] = 0,
            ["feedback"] = 0,
            ["business"] = 0,
        };
        var withoutFeature = new HashSet<string>(StringComparer.Ordinal);
        using (var predictions = _connection.CreateAppender("stage_predictions"))
        using (var outcomes = _connection.CreateAppender("stage_outcomes"))
        using (var feedback = _connection.CreateAppender("stage_feedback"))
        using (var business = _connection.CreateAppender("stage_business"))
        {
            foreach (var e in events)
            {
                var time = UnixMicroseconds.From(e.Time);
                switch (e)
                {
                    case PredictionEvent p:
                        predictions
                            .CreateRow()
                            .AppendValue(p.Id)
                            .AppendValue(p.Feature)
                            .AppendValue(time)
                            .AppendValue(p.ModelVersion)
                            .AppendValue(p.Score)
                            .AppendValue(p.Prediction)
                            .AppendValue(p.LatencyMs)
                            .AppendValue(p.Cost)
                            .AppendValue(p.InputsJson)
                            .AppendValue(p.AttributesJson)
                            .AppendValue(received)
                            .AppendValue(p.Output)
                            .AppendValue(p.InputTokens)
                            .AppendValue(p.OutputTokens)
                            .AppendValue(p.ConversationId)
                            .AppendValue(p.Model)
                            .AppendValue(p.Error)
                            .AppendValue(p.Workflow?.Route)
                            .AppendValue(p.Workflow is { } w ? w.Attempts : (long?)null)
                            .AppendValue(WorkflowColumns.Checks(p.Workflow))
                            .AppendValue(p.Workflow?.Reason)
                            .EndRow();
                        counts["predictions"]++;
                        break;
                    case OutcomeEvent o:
                        outcomes
                            .CreateRow()
                            .AppendValue(o.Id)
                            .AppendValue(o.PredictionId)
                            .AppendValue(o.Label)
                            .AppendValue(o.Source)
                            .AppendValue(time)
                            .AppendValue(received)
                            .AppendValue(o.Feature)
                            .AppendNullValue()
                            .EndRow();
                        counts["outcomes"]++;
                        if (o.Feature is null)
                        {
                            withoutFeature.Add("outcomes");
                        }
                        break;
                    case FeedbackEvent f:
                        feedback
                            .CreateRow()
                            .AppendValue(f.Id)
                            .AppendValue(f.PredictionId)
                            .AppendValue(f.FeedbackKind)
                            .AppendValue(time)
                            .AppendValue(received)
                            .AppendValue(f.Feature)
                            .AppendValue(f.EditDistance)
                            .AppendValue(f.FinalLength)
                            .EndRow();
                        counts["feedback"]++;
                        if (f.Feature is null)
                        {
                            withoutFeature.Add("feedback");
                        }
                        break;
                    case BusinessEvent b:
                        business
                            .CreateRow()
                            .AppendValue(b.Id)
                            .AppendValue(b.Name)
                            .AppendValue(b.Value)
                            .AppendValue(b.PredictionId)
                            .AppendValue(b.Feature)
                            .AppendValue(time)
                            .AppendValue(received)
                            .EndRow();
                        counts["business"]++;
                        if (b.Feature is null)
                        {
                            withoutFeature.Add("business");
                        }
                        break;
                    default:
                        throw new ArgumentException($"unknown event type {e.GetType().Name}", nameof(events));
                }
            }
        }
        return [.. counts.Select(c => (c.Key, c.Value, withoutFeature.Contains(c.Key)))];
    }

    /// <inheritdoc />
    public async Task<ProductionRows> ReadPredictionsAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        IReadOnlyList<string> attributes,
        int? sample = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var (sql, parameters) = PredictionQuery(feature, from, to, attributes, sample, null, ordered: true);
        var rows = new PredictionColumns(attributes);
        await QueryAsync(
                sql,
                r =>
                {
                    rows.Add(r);
                    return 0;
                },
                cancellationToken,
                parameters
            )
            .ConfigureAwait(false);
        return rows.Build();
    }

    /// <summary>
    /// The SQL (and its parameters) of a read of predictions in [<paramref name="from"/>, <paramref name="to"/>) with
    /// their latest outcomes: id, time, score, prediction, label, latency, cost, model version, the workflow's route,
    /// attempts and failed checks, then each attribute,
    /// ordered by time, id and receipt (a prediction stored twice is two rows, read once by <see cref="PredictionColumns"/>).
    /// An attribute in <paramref name="screened"/> is extracted only from rows whose JSON may hold a NUL, and is missing
    /// elsewhere (see <see cref="IEventReader.ReadPredictionBatchesAsync"/>): JSON extraction is most of the read's time.
    /// Not <paramref name="ordered"/>, the rows come in no order, each id once (the copy the ordered read keeps first);
    /// when the caller knows the range holds no <paramref name="copies"/>, the ids are not grouped to find them.
    /// </summary>
    private static (string Sql, (string Name, object Value)[] Parameters) PredictionQuery(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        IReadOnlyList<string> attributes,
        int? sample,
        IReadOnlySet<string>? screened,
        bool ordered,
        bool copies = true
    )
    {
        // Attribute names are bound as JSON paths, never spliced into the SQL; the sample size is a whole number.
        // A NUL reaches an extracted value only from the escape \u0000 (or a raw NUL) in the stored text.
        const string MayHoldNul =
            "contains(p.attributes, '\\u0000') OR contains(p.inputs, '\\u0000') OR contains(p.attributes, chr(0)) OR contains(p.inputs, chr(0))";
        var extracts = string.Concat(
            attributes.Select(
                (name, i) =>
                    screened?.Contains(name) == true
                        ? $", CASE WHEN {MayHoldNul} THEN coalesce(json_extract_string(p.attributes, $a{i}), json_extract_string(p.inputs, $a{i})) END"
                        : $", coalesce(json_extract_string(p.attributes, $a{i}), json_extract_string(p.inputs, $a{i}))"
            )
        );
        // Stored JSON that does not parse (a lone surrogate escape such as \ud800) must not fail the read: such escapes
        // are read as U+FFFD, and what still does not parse is read as no attributes.
        // The sample is StableSample's: the predictions whose ids have the smallest keys (ties by the id's bytes), each
        // id one of the sample however many rows it has, picked before the JSON is checked, so only the sample's is.
        // The ids are picked alone and their rows read after: sorting whole rows for the smallest keys held the JSON of
        // every candidate row and took about 200 MB more of the process for a 7-day reference of 7,000,000.
        var rows =
            $"SELECT {(ordered ? "" : "rowid AS row_id, ")}* REPLACE ({Readable("attributes")} AS attributes, {Readable("inputs")} AS inputs) FROM predictions WHERE {InRange}"
            + (
                sample is { } size
                    ? $" AND id IN (SELECT id FROM (SELECT DISTINCT id FROM predictions WHERE {InRange}) ORDER BY {RuleFunctions.SampleKey}(id), id LIMIT {size.ToString(CultureInfo.InvariantCulture)})"
                    : ""
            );
        // Outcomes are read for the predictions in range only (a semi-join: a third less than joining them), the latest
        // one winning (of copies of one outcome, stored again beyond the dedup horizon, the first received). Grouping a
        // window's rows by id in SQL (DISTINCT ON, a window function) took 4 to 15 times as long as the plain read of 2
        // million rows, so in the ordered read a prediction stored twice is left to the reader. The unordered read cannot
        // leave it there (the earliest copy may come last), so it groups the range's ids alone (about 0.25 s for a
        // million) and keeps, of an id with copies, the row with the earliest time, then the first received.
        // DuckDB materialises a CTE named twice: the range's rows, JSON and all (about 100 MB of its memory for a
        // million), only for the outcomes' semi-join to take their ids. The range is read twice instead (once its ids
        // alone), which is also faster; a sample, which sorts the range, is materialised as before.
        // Orders are one 128-bit number (time, then receipt) rather than a list: a list per group state took about a
        // fifth of the process's peak in a cold window's read.
        // Only outcomes stored with an hour of the range, or with none, are read (StoreSchema.FillPredictionHour): the
        // zone maps skip the other row groups. An outcome names the hours its prediction was stored at when it came; an
        // id sent again beyond the dedup horizon, at another hour, after its outcome, is read unlabelled in that hour.
        var group = !ordered && copies;
        var grouped = group
            ? $"d AS (SELECT id, arg_min(rowid, {TimeThenReceipt("")}) AS first FROM predictions WHERE {InRange} GROUP BY id HAVING count(*) > 1),"
            : "";
        var first = group ? " LEFT JOIN d ON d.id = p.id WHERE d.id IS NULL OR p.row_id = d.first" : "";
        var sql = $"""
            WITH p AS {(sample is null ? "NOT MATERIALIZED " : "")}({rows}), {grouped}
            o AS (SELECT o.prediction_id, arg_max(o.label, {TimeThenReceipt(
                "o.",
                latestFirst: true
            )}) AS label FROM outcomes o WHERE o.feature = $feature
              AND (o.prediction_hour IS NULL OR o.prediction_hour BETWEEN $from_hour AND $to_hour)
              AND o.prediction_id IN (SELECT id FROM p) GROUP BY o.prediction_id)
            SELECT p.id, p.time_us, p.score, p.prediction, o.label, p.latency_ms, p.cost, p.model_version,
              p.workflow_route, p.workflow_attempts, p.workflow_failed_checks{extracts}
            FROM p LEFT JOIN o ON o.prediction_id = p.id{first}
            {(ordered ? "ORDER BY p.time_us, p.id, p.received_us" : "")}
            """;
        var parameters = new List<(string, object)>
        {
            ("feature", feature),
            ("from", UnixMicroseconds.From(from)),
            ("to", UnixMicroseconds.From(to)),
            // The hours (as the loader's time_us // 3600000000, which truncates as C# does) an outcome of the range's
            // predictions was stored with (StoreSchema.FillPredictionHour).
            ("from_hour", UnixMicroseconds.From(from) / HourUs),
            ("to_hour", (UnixMicroseconds.From(to) - 1) / HourUs),
        };
        parameters.AddRange(
            attributes.Select(
                (name, i) => ($"a{i}", (object)$"$.\"{name.Replace("\"", "\\\"", StringComparison.Ordinal)}\"")
            )
        );
        return (sql, [.. parameters]);
    }

    /// <summary>
    /// The rows of a <see cref="PredictionQuery"/> gathered column by column: typed reads, no boxed value per cell, one
    /// string kept for each repeated label, decision, version and attribute value, each id once (the row with the
    /// earliest time, the first received of copies at the same time).
    /// </summary>
    /// <param name="attributes">The attributes read, in the query's order.</param>
    /// <param name="capacity">How many rows are expected (so the columns never grow by copying), 0 when not known.</param>
    private sealed class PredictionColumns(IReadOnlyList<string> attributes, int capacity = 0)
    {
        private readonly List<string> _ids = new(capacity);
        private readonly List<long> _times = new(capacity);
        private readonly List<double> _scores = new(capacity);
        private readonly List<string?> _predictions = new(capacity);
        private readonly List<string?> _labels = new(capacity);
        private readonly List<double> _latencies = new(capacity);
        private readonly List<double> _costs = new(capacity);
        private readonly List<string?> _models = new(capacity);
        private readonly List<WorkflowTrace?> _workflows = new(capacity);
        private readonly List<string?>[] _byName = [.. attributes.Select(_ => new List<string?>(capacity))];
        private readonly TextPool _pool = new();
        private readonly HashSet<string> _seen = new(capacity, StringComparer.Ordinal);

        public void Add(DbDataReader r)
        {
            var id = r.GetString(0);
            if (!_seen.Add(id))
            {
                return;
            }
            _ids.Add(id);
            _times.Add(r.GetInt64(1));
            _scores.Add(r.IsDBNull(2) ? double.NaN : r.GetDouble(2));
            _predictions.Add(r.IsDBNull(3) ? null : _pool.Intern(r.GetString(3)));
            _labels.Add(r.IsDBNull(4) ? null : _pool.Intern(r.GetString(4)));
            _latencies.Add(r.IsDBNull(5) ? double.NaN : r.GetDouble(5));
            _costs.Add(r.IsDBNull(6) ? double.NaN : r.GetDouble(6));
            _models.Add(r.IsDBNull(7) ? null : _pool.Intern(r.GetString(7)));
            // The reason is not read: windows count routes and checks, the review queue reads reasons one by one.
            _workflows.Add(
                r.IsDBNull(8)
                    ? null
                    : WorkflowColumns.Read(
                        r.GetString(8),
                        r.IsDBNull(9) ? null : r.GetInt64(9),
                        r.IsDBNull(10) ? null : r.GetString(10),
                        null,
                        _pool
                    )
            );
            for (var a = 0; a < _byName.Length; a++)
            {
                _byName[a].Add(r.IsDBNull(11 + a) ? null : _pool.Intern(r.GetString(11 + a)));
            }
        }

        public ProductionRows Build() =>
            new()
            {
                Ids = [.. _ids],
                TimesUs = [.. _times],
                Scores = [.. _scores],
                Predictions = [.. _predictions],
                Labels = [.. _labels],
                LatencyMs = [.. _latencies],
                Costs = [.. _costs],
                ModelVersions = [.. _models],
                Workflows = [.. _workflows],
                Attributes = attributes
                    .Select((name, a) => (name, a))
                    .ToDictionary(x => x.name, x => _byName[x.a].ToArray(), StringComparer.Ordinal),
            };
    }

    /// <summary>
    /// SQL for one number that orders a table's rows by time, then by receipt (the first received greatest when
    /// <paramref name="latestFirst"/>, as arg_max wants it): microseconds since 1970 fit in 64 bits, so time × 2⁶⁴ plus
    /// or minus the receipt time orders exactly.
    /// </summary>
    private static string TimeThenReceipt(string alias, bool latestFirst = false) =>
        $"{alias}time_us::HUGEINT * 18446744073709551616 {(latestFirst ? "-" : "+")} {alias}received_us";

    /// <summary>The condition of a read of one feature's events in [$from, $to) of event time (of a table with no alias).</summary>
    private const string InRange = "feature = $feature AND time_us >= $from AND time_us < $to";

    /// <summary>An hour in microseconds, as the SQL's hours are counted.</summary>
    private const long HourUs = 3_600_000_000;

    /// <summary>SQL for a JSON text column as json_extract can read it: as stored when valid, else with lone surrogate escapes as U+FFFD, else null.</summary>
    private static string Readable(string column)
    {
        var repaired = $"regexp_replace({column}, '\\\\u[dD][89a-fA-F][0-9a-fA-F]{{2}}', '\\\\uFFFD', 'g')";
        return $"CASE WHEN {column} IS NULL OR json_valid({column}) THEN {column} WHEN json_valid({repaired}) THEN {repaired} END";
    }

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
        // One bound parameter per id: ids are never spliced into the SQL.
        var ids = predictionIds.Distinct(StringComparer.Ordinal).Select((id, i) => ($"i{i}", (object)id)).ToArray();
        var rows = await QueryAsync(
                $"SELECT DISTINCT id, feature FROM predictions WHERE id IN ({string.Join(", ", ids.Select(p => "$" + p.Item1))}) ORDER BY feature",
                r => (Id: r.GetString(0), Feature: r.GetString(1)),
                cancellationToken,
                ids
            )
            .ConfigureAwait(false);
        return rows.GroupBy(r => r.Id, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<string>)[.. g.Select(r => r.Feature)],
                StringComparer.Ordinal
            );
    }

    /// <inheritdoc />
    /// <remarks>The counts but the business results are made once per change of the feature (<see cref="KeptCounts"/>):
    /// each reads the feature's whole history.</remarks>
    public Task<EventCounts> CountAsync(string feature, CancellationToken cancellationToken = default) =>
        _counted.CountAsync(
            feature,
            ct => CurrentChangeAsync(feature, ct),
            ct => CountNamedAsync(feature, ct),
            async ct =>
                (
                    await QueryAsync(
                            "SELECT count(DISTINCT id) FROM business WHERE feature = $feature",
                            r => r.GetInt64(0),
                            ct,
                            ("feature", feature)
                        )
                        .ConfigureAwait(false)
                )[0],
            cancellationToken
        );

    /// <summary>The counts of <see cref="CountAsync(string, CancellationToken)"/> but the business results (0 there).</summary>
    private async Task<EventCounts> CountNamedAsync(string feature, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
                // Every count reads the feature's whole history (ids stored twice beyond the dedup horizon count once):
                // the outcomes and the predictions they label are counted in one join, not one each.
                """
                SELECT
                  (SELECT count(DISTINCT id) FROM predictions WHERE feature = $feature),
                  o.outcomes,
                  (SELECT count(DISTINCT f.id) FROM feedback f SEMI JOIN predictions p ON p.feature = f.feature AND p.id = f.prediction_id WHERE f.feature = $feature),
                  o.labelled
                FROM (
                  SELECT count(DISTINCT o.id) AS outcomes, count(DISTINCT o.prediction_id) AS labelled
                  FROM outcomes o SEMI JOIN predictions p ON p.feature = o.feature AND p.id = o.prediction_id WHERE o.feature = $feature
                ) o
                """,
                r => new EventCounts(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), 0, r.GetInt64(3)),
                cancellationToken,
                ("feature", feature)
            )
            .ConfigureAwait(false);
        return rows[0];
    }

    /// <inheritdoc />
    public async Task<long> CurrentChangeAsync(string feature, CancellationToken cancellationToken = default) =>
        (
            await QueryAsync(
                    "SELECT coalesce(max(change), 0) FROM changed_hours WHERE feature = $feature",
                    r => r.GetInt64(0),
                    cancellationToken,
                    ("feature", feature)
                )
                .ConfigureAwait(false)
        )[0];

    /// <inheritdoc />
    public async Task<long> ChangeInRangeAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        CancellationToken cancellationToken = default
    ) =>
        (
            await RangeQueryAsync(
                    "SELECT coalesce(max(change), 0) FROM changed_hours WHERE feature = $feature AND hour >= $from // 3600000000 AND hour <= ($to - 1) // 3600000000",
                    r => r.GetInt64(0),
                    feature,
                    (from, to),
                    cancellationToken
                )
                .ConfigureAwait(false)
        )[0];

    /// <summary>The rows of a query of one feature's [<c>$from</c>, <c>$to</c>), bound as <c>$feature</c>, <c>$from</c> and <c>$to</c>.</summary>
    private Task<IReadOnlyList<T>> RangeQueryAsync<T>(
        string sql,
        Func<DbDataReader, T> read,
        string feature,
        (DateTimeOffset From, DateTimeOffset To) range,
        CancellationToken cancellationToken
    ) =>
        QueryAsync(
            sql,
            read,
            cancellationToken,
            ("feature", feature),
            ("from", UnixMicroseconds.From(range.From)),
            ("to", UnixMicroseconds.From(range.To))
        );
}
