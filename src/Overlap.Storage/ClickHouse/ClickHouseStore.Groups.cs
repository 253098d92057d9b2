using System.Runtime.CompilerServices;
using Overlap.Core.Timestamps;
using Overlap.Events;

namespace Overlap.Storage.ClickHouse;

internal sealed partial class ClickHouseStore
{
    /// <summary>
    /// A JSON object ClickHouse's <c>visitParamExtractRaw</c> reads as <see cref="JsonAttributes"/> does: flat (no
    /// nested object or array, so a name is found at the top level only), no escape in any string (so no quote inside
    /// one, and no NUL or lone surrogate to repair), no space between a name and its colon; each value a string or a
    /// JSON number, true, false or null. Any other object (and a row whose inputs are not like this) is grouped by its
    /// stored text and read in the instance.
    /// </summary>
    private const string FlatObject =
        """^[ \t\n\r]*\{[ \t\n\r]*(?:"[^"\\\x00-\x1f]*":[ \t\n\r]*(?:"[^"\\\x00-\x1f]*"|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null)[ \t\n\r]*(?:,[ \t\n\r]*"[^"\\\x00-\x1f]*":[ \t\n\r]*(?:"[^"\\\x00-\x1f]*"|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null)[ \t\n\r]*)*)?\}[ \t\n\r]*$""";

    /// <summary>The columns every group is kept apart by, before its attribute values and stored JSON.</summary>
    private static readonly string[] GroupKeys =
    [
        "bin",
        "exact",
        "label",
        "prediction",
        "workflow_route",
        "workflow_attempts",
        "workflow_failed_checks",
    ];

    /// <inheritdoc />
    /// <remarks>
    /// Per slice of at most <see cref="WindowSliceRows"/> predictions (as <see cref="ReadPredictionBatchesAsync"/>
    /// cuts them), three aggregate queries over the slice read with <c>FINAL</c>: the groups (joined to each
    /// prediction's latest label in ClickHouse), the latencies and costs, and, when asked, the exact scores. A group's
    /// attribute values are extracted in ClickHouse where the stored JSON is a flat object (<see cref="FlatObject"/>),
    /// else the group is of the stored text and its values are read here, as a row's are.
    /// </remarks>
    public async IAsyncEnumerable<PredictionGroups> ReadPredictionGroupsAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        PredictionGrouping grouping,
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(feature);
        ArgumentNullException.ThrowIfNull(grouping);
        var slices = await SlicesAsync(feature, from, to, WindowSliceRows, cancellationToken).ConfigureAwait(false);
        foreach (var (start, end) in slices)
        {
            yield return await GroupsAsync(feature, start, end, grouping, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<PredictionGroups> GroupsAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        PredictionGrouping grouping,
        CancellationToken cancellationToken
    )
    {
        var range = Range(feature, from, to);
        var names = grouping.Attributes;
        var everything = names.Concat(grouping.Screened).Distinct(StringComparer.Ordinal).ToArray();
        // A name with a quote, backslash or control character is not found by visitParam as JSON writes it: every
        // row is then read from its stored text.
        var flat = names.All(n => !n.Any(c => c is '"' or '\\' || char.IsControl(c)))
            ? $"match(ifNull(attributes, '{{}}'), {ClickHouseSql.Literal(FlatObject)}) AND match(ifNull(inputs, '{{}}'), {ClickHouseSql.Literal(FlatObject)})"
            : "0";
        string Raw(string json, string name) =>
            $"visitParamExtractRaw(ifNull({json}, '{{}}'), {ClickHouseSql.Literal(name)})";
        var values = names.Select(
            (n, i) =>
                $"if(flat, if(visitParamHas(ifNull(attributes, '{{}}'), {ClickHouseSql.Literal(n)}) "
                + $"AND NOT match({Raw("attributes", n)}, '^[ \\t\\n\\r]*null[ \\t\\n\\r]*$'), "
                + $"{Raw("attributes", n)}, {Raw("inputs", n)}), '') AS a{i}"
        );
        var admitted =
            $"ifNull(isFinite(score) AND score >= {ClickHouseSql.Literal(grouping.ScoreMin)} AND score <= {ClickHouseSql.Literal(grouping.ScoreMax)}, 0)";
        var keys = string.Join(
            ", ",
            GroupKeys.Concat(names.Select((_, i) => $"a{i}")).Concat(["raw_attributes", "raw_inputs"])
        );
        var predictions =
            $"SELECT id, score, prediction, workflow_route, workflow_attempts, workflow_failed_checks, attributes, inputs "
            + $"FROM {Table("predictions")} FINAL {range}";
        var labels = await JoinedLabelsAsync(
                feature,
                from,
                to,
                $"SELECT id FROM {Table("predictions")} {range}",
                cancellationToken
            )
            .ConfigureAwait(false);
        var sql = $"""
            SELECT min(score), toInt64(count()), sum(ifNull(score, 0)), sum(ifNull(score * score, 0)),
              label, prediction, workflow_route, workflow_attempts, workflow_failed_checks{string.Concat(
                names.Select((_, i) => $", a{i}")
            )},
              raw_attributes, raw_inputs
            FROM (
              SELECT *, if({admitted}, toNullable(toInt64(floor((score - {ClickHouseSql.Literal(
                grouping.Threshold
            )}) / {ClickHouseSql.Literal(grouping.BinWidth)}))), NULL) AS bin,
                if({admitted}, NULL, score) AS exact{string.Concat(values.Select(v => ", " + v))},
                if(flat, NULL, attributes) AS raw_attributes, if(flat, NULL, inputs) AS raw_inputs
              FROM (SELECT *, {flat} AS flat FROM ({predictions}) ANY LEFT JOIN ({labels}) USING id)
            )
            GROUP BY {keys}
            """;
        var pool = new TextPool();
        var groups = new GroupColumns(everything, pool);
        await _http.ReadAsync(sql, r => groups.Add(r, names, everything), cancellationToken).ConfigureAwait(false);
        var measures = await _http
            .QueryAsync(
                $"""
                SELECT latency_ms, toInt64(count()), sumIf(c, isFinite(c)), toInt64(countIf(isFinite(c))),
                  toInt64(countIf(c = inf)), toInt64(countIf(c = -inf))
                FROM (SELECT latency_ms, ifNull(cost, nan) AS c FROM {Table("predictions")} FINAL {range})
                GROUP BY latency_ms
                """,
                r =>
                    (
                        Latency: r.NullableFloat64(),
                        Count: r.Int64(),
                        CostSum: r.Float64(),
                        CostCount: r.Int64(),
                        Infinite: r.Int64(),
                        NegativeInfinite: r.Int64()
                    ),
                cancellationToken
            )
            .ConfigureAwait(false);
        var scores = grouping.ScoreValues
            ? await _http
                .QueryAsync(
                    $"SELECT score, toInt64(count()) FROM {Table("predictions")} FINAL {range} AND {admitted} GROUP BY score",
                    r => (Score: r.NullableFloat64() ?? double.NaN, Count: r.Int64()),
                    cancellationToken
                )
                .ConfigureAwait(false)
            : [];
        var infinite = measures.Sum(m => m.Infinite);
        var negativeInfinite = measures.Sum(m => m.NegativeInfinite);
        return groups.Build(UnixMicroseconds.From(from)) with
        {
            ScoreValues = scores,
            Latencies = [.. measures.Where(m => m.Latency is not null).Select(m => (m.Latency!.Value, m.Count))],
            CostSum = measures.Sum(m => m.CostSum),
            CostCount = measures.Sum(m => m.CostCount),
            NonFiniteCosts =
            [
                .. new[] { (double.PositiveInfinity, infinite), (double.NegativeInfinity, negativeInfinite) }.Where(c =>
                    c.Item2 > 0
                ),
            ],
        };
    }

    /// <summary>The groups of <see cref="GroupsAsync"/>, a row at a time as the answer streams in.</summary>
    private sealed class GroupColumns(IReadOnlyList<string> attributes, TextPool pool)
    {
        private readonly List<double> _scores = [];
        private readonly List<long> _counts = [];
        private readonly List<double> _sums = [];
        private readonly List<double> _squares = [];
        private readonly List<string?> _labels = [];
        private readonly List<string?> _predictions = [];
        private readonly List<WorkflowTrace?> _workflows = [];
        private readonly List<string?>[] _values = [.. attributes.Select(_ => new List<string?>())];

        public void Add(RowBinaryReader r, IReadOnlyList<string> names, IReadOnlyList<string> everything)
        {
            _scores.Add(r.NullableFloat64() ?? double.NaN);
            _counts.Add(r.Int64());
            _sums.Add(r.Float64());
            _squares.Add(r.Float64());
            _labels.Add(Intern(pool, r.NullableString()));
            _predictions.Add(Intern(pool, r.NullableString()));
            _workflows.Add(WorkflowColumns.Read(r.NullableString(), r.NullableInt64(), r.NullableString(), null, pool));
            var extracted = new string?[names.Count];
            for (var a = 0; a < names.Count; a++)
            {
                extracted[a] = FromRaw(r.String());
            }
            var (attributesJson, inputsJson) = (r.NullableString(), r.NullableString());
            // A group of stored text (not a flat object) reads every attribute from it, screened ones too.
            var read =
                attributesJson is null && inputsJson is null
                    ? [.. extracted, .. new string?[everything.Count - names.Count]]
                    : Values(attributesJson, inputsJson, everything, pool);
            for (var a = 0; a < everything.Count; a++)
            {
                _values[a].Add(read[a] is { } v ? pool.Intern(v) : null);
            }
        }

        /// <summary>
        /// A value as <c>visitParamExtractRaw</c> gives it from a flat object, as <see cref="JsonAttributes"/> reads it:
        /// none (empty) or JSON null is null, a string its text (it holds no escape), another value its JSON text.
        /// </summary>
        private static string? FromRaw(string raw)
        {
            var value = raw.Trim(' ', '\t', '\n', '\r');
            return value.Length == 0 || value == "null" ? null
                : value[0] == '"' ? value[1..^1]
                : value;
        }

        public PredictionGroups Build(long timeUs)
        {
            var n = _counts.Count;
            return new PredictionGroups
            {
                Rows = new ProductionRows
                {
                    Ids = [.. Enumerable.Repeat("", n)],
                    TimesUs = [.. Enumerable.Repeat(timeUs, n)],
                    Scores = [.. _scores],
                    Predictions = [.. _predictions],
                    Labels = [.. _labels],
                    LatencyMs = [.. Enumerable.Repeat(double.NaN, n)],
                    Costs = [.. Enumerable.Repeat(double.NaN, n)],
                    ModelVersions = new string?[n],
                    Workflows = [.. _workflows],
                    Attributes = attributes
                        .Select((name, a) => (name, a))
                        .ToDictionary(x => x.name, x => _values[x.a].ToArray(), StringComparer.Ordinal),
                },
                Counts = [.. _counts],
                ScoreSums = [.. _sums],
                ScoreSquares = [.. _squares],
                Latencies = [],
                CostSum = 0,
                CostCount = 0,
                NonFiniteCosts = [],
            };
        }
    }
}
