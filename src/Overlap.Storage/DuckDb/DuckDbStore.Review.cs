using System.Globalization;
using Overlap.Core.Generative;
using Overlap.Core.Text;
using Overlap.Core.Timestamps;

namespace Overlap.Storage.DuckDb;

internal sealed partial class DuckDbStore
{
    // Statuses as stored: their names from ReviewStatus, written into the SQL as literals.
    private static readonly string Pending = WireName.Of(ReviewStatus.Pending);
    private static readonly string Second = WireName.Of(ReviewStatus.Second);
    private static readonly string Escalated = WireName.Of(ReviewStatus.Escalated);
    private static readonly string Decided = WireName.Of(ReviewStatus.Decided);

    /// <summary>The statuses of an item still open for a decision.</summary>
    private static readonly string OpenStatuses = $"('{Pending}', '{Second}', '{Escalated}')";

    /// <inheritdoc />
    public async Task<int> RouteForReviewAsync(
        string feature,
        double scoreLow,
        double scoreHigh,
        double sample,
        double secondOpinion,
        DateTimeOffset now,
        CancellationToken cancellationToken = default
    )
    {
        if (double.IsNaN(sample) || sample < 0 || sample > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(sample), sample, "a review sample is a share in [0, 1]");
        }
        if (double.IsNaN(secondOpinion) || secondOpinion < 0 || secondOpinion > 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(secondOpinion),
                secondOpinion,
                "a second-opinion share is in [0, 1]"
            );
        }
        // Predictions received at or after the last routed receipt time are looked at again: a later load can carry the
        // same receipt time, and the decision is the same for a prediction seen twice (its score and id), while one
        // already routed stays as it is. Infinite bounds become the largest finite ones. The sample and the items a
        // second reviewer decides too are Core's StableSample rules, called from the SQL. An id stored twice (a repeat
        // beyond the dedup horizon) is looked at once in a page, as StoreSchema.FirstReceived picks it, and is never
        // routed twice.
        // The backlog is routed a page at a time (whole receipt times, about RoutePageRows predictions), each page its
        // own transaction that moves the position: one statement over a backlog of 30,000,000 predictions ran out of
        // DuckDB's memory, and an item already routed is checked among the page's ids only, not the whole queue.
        var low = Math.Max(scoreLow, double.MinValue);
        var high = Math.Min(scoreHigh, double.MaxValue);
        var page = RoutePageRows.ToString(CultureInfo.InvariantCulture);
        var sql = string.Create(
            CultureInfo.InvariantCulture,
            $"""
            BEGIN TRANSACTION;
            CREATE OR REPLACE TEMP TABLE review_batch AS
              SELECT DISTINCT ON (p.id) p.id, p.feature, p.score, p.received_us, p.workflow_route FROM predictions p
              WHERE p.feature = $feature AND p.received_us >= $from AND ($until IS NULL OR p.received_us < $until)
              ORDER BY p.id, p.time_us, p.received_us;
            INSERT INTO review_items (prediction_id, feature, reason, routed_us, status, claimed_by, claim_expires_us, opinions, escalated_because)
              SELECT id, feature, CASE WHEN workflow_route IN {WorkflowRouted} THEN workflow_route WHEN score >= $low AND score <= $high THEN 'uncertain' ELSE 'sample' END, $now, '{Pending}', NULL, NULL,
                CASE WHEN {RuleFunctions.SecondOpinion}(id, $second) THEN 2 ELSE 1 END, NULL
              FROM review_batch
              WHERE (workflow_route IN {WorkflowRouted} OR (score >= $low AND score <= $high) OR {RuleFunctions.Takes}(id, $cut))
                AND id NOT IN (SELECT prediction_id FROM review_items WHERE feature = $feature AND prediction_id IN (SELECT id FROM review_batch))
            ON CONFLICT DO NOTHING;
            INSERT OR REPLACE INTO review_routing
              SELECT $feature, greatest(coalesce(max(received_us), -1), coalesce((SELECT routed_until_us FROM review_routing WHERE feature = $feature), -1)) FROM review_batch;
            COMMIT;
            """
        );
        var before = (await CountReviewItemsAsync(feature, cancellationToken).ConfigureAwait(false)).Total;
        var from = (
            await QueryAsync(
                    "SELECT coalesce((SELECT routed_until_us FROM review_routing WHERE feature = $feature), -1)",
                    r => r.GetInt64(0),
                    cancellationToken,
                    ("feature", feature)
                )
                .ConfigureAwait(false)
        )[0];
        while (true)
        {
            // The page ends before the receipt time of the prediction RoutePageRows on; a receipt time that holds more
            // than a page is a page of its own; the last page has no end.
            var bound = (
                await QueryAsync(
                        $"SELECT received_us FROM predictions WHERE feature = $feature AND received_us >= $from ORDER BY received_us LIMIT 1 OFFSET {page}",
                        r => (long?)r.GetInt64(0),
                        cancellationToken,
                        ("feature", feature),
                        ("from", from)
                    )
                    .ConfigureAwait(false)
            ).SingleOrDefault();
            long? until = bound is { } end ? Math.Max(end, from + 1) : null;
            await WriteAsync(
                    sql,
                    cancellationToken,
                    ("feature", feature),
                    ("from", from),
                    ("until", until is { } u ? u : DBNull.Value),
                    ("low", low),
                    ("high", high),
                    ("cut", sample),
                    ("second", secondOpinion),
                    ("now", UnixMicroseconds.From(now))
                )
                .ConfigureAwait(false);
            if (until is not { } next)
            {
                break;
            }
            from = next;
        }
        return (int)((await CountReviewItemsAsync(feature, cancellationToken).ConfigureAwait(false)).Total - before);
    }

    /// <summary>About how many predictions one page of the review routing looks at (see <see cref="RouteForReviewAsync"/>).</summary>
    internal int RoutePageRows { get; set; } = 100_000;

    // The predictions of the feature's review items, each once (all uses name r.feature = $feature).
    private static readonly string ItemColumns =
        "SELECT r.prediction_id, r.feature, r.reason, r.routed_us, r.status, r.claimed_by, r.claim_expires_us, p.time_us, CASE WHEN isfinite(p.score) THEN p.score END AS score, p.prediction, p.inputs, p.attributes, "
        + "coalesce(r.opinions, 1), r.escalated_because, p.output, p.workflow_reason "
        + "FROM review_items r JOIN "
        + StoreSchema.FirstReceived(
            "predictions",
            "feature = $feature AND id IN (SELECT prediction_id FROM review_items WHERE feature = $feature)"
        )
        + " p ON p.feature = r.feature AND p.id = r.prediction_id ";

    private static ReviewItem ReadItem(System.Data.Common.DbDataReader r) =>
        new(
            r.GetString(0),
            r.GetString(1),
            r.GetString(2),
            UnixMicroseconds.ToTime(r.GetInt64(3)),
            WireName.Parse<ReviewStatus>(r.GetString(4)),
            r.IsDBNull(5) ? null : r.GetString(5),
            r.IsDBNull(6) ? null : UnixMicroseconds.ToTime(r.GetInt64(6)),
            UnixMicroseconds.ToTime(r.GetInt64(7)),
            r.IsDBNull(8) ? null : r.GetDouble(8),
            r.IsDBNull(9) ? null : r.GetString(9),
            r.IsDBNull(10) ? null : r.GetString(10),
            r.IsDBNull(11) ? null : r.GetString(11),
            r.GetInt32(12),
            r.IsDBNull(13) ? null : r.GetString(13),
            r.IsDBNull(14) ? null : r.GetString(14),
            r.IsDBNull(15) ? null : r.GetString(15)
        );

    /// <summary>The routes whose calls the guard sent to people, as an SQL list: see <see cref="ReviewReasons"/>.</summary>
    private static readonly string WorkflowRouted =
        $"({string.Join(", ", ReviewReasons.Workflow.Select(r => $"'{r}'"))})";

    /// <inheritdoc />
    public Task<IReadOnlyList<ReviewItem>> ListReviewItemsAsync(
        string feature,
        ReviewStatus? status,
        int limit,
        CancellationToken cancellationToken = default
    ) =>
        QueryAsync(
            ItemColumns
                + "WHERE r.feature = $feature AND ($status IS NULL OR r.status = $status) ORDER BY r.routed_us, p.time_us, r.prediction_id LIMIT $limit",
            ReadItem,
            cancellationToken,
            ("feature", feature),
            ("status", status is { } named ? WireName.Of(named) : DBNull.Value),
            ("limit", limit)
        );

    /// <inheritdoc />
    public async Task<ReviewItem?> GetReviewItemAsync(
        string feature,
        string predictionId,
        CancellationToken cancellationToken = default
    ) =>
        (
            await QueryAsync(
                    ItemColumns + "WHERE r.feature = $feature AND r.prediction_id = $id",
                    ReadItem,
                    cancellationToken,
                    ("feature", feature),
                    ("id", predictionId)
                )
                .ConfigureAwait(false)
        ).SingleOrDefault();

    /// <inheritdoc />
    public async Task<ReviewItem?> ClaimReviewItemAsync(
        string feature,
        string predictionId,
        string reviewer,
        DateTimeOffset now,
        DateTimeOffset until,
        CancellationToken cancellationToken = default
    )
    {
        await WriteAsync(
                $"UPDATE review_items SET claimed_by = $reviewer, claim_expires_us = $until WHERE feature = $feature AND prediction_id = $id AND status IN {OpenStatuses} "
                    + "AND (claimed_by IS NULL OR claimed_by = $reviewer OR claim_expires_us < $now) "
                    + "AND NOT EXISTS (SELECT 1 FROM review_decisions d WHERE d.feature = $feature AND d.prediction_id = $id AND d.reviewer = $reviewer)",
                cancellationToken,
                ("feature", feature),
                ("id", predictionId),
                ("reviewer", reviewer),
                ("now", UnixMicroseconds.From(now)),
                ("until", UnixMicroseconds.From(until))
            )
            .ConfigureAwait(false);
        return await GetReviewItemAsync(feature, predictionId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> DecideReviewItemAsync(
        ReviewDecision decision,
        ReviewStatus next,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (next is ReviewStatus.Pending || !Enum.IsDefined(next))
        {
            throw new ArgumentOutOfRangeException(
                nameof(next),
                next,
                "an item goes on to decided, second or escalated"
            );
        }
        // The decision is written before the status changes, while the lock still names the reviewer.
        var sql = $"""
            BEGIN TRANSACTION;
            INSERT INTO review_decisions (prediction_id, feature, reviewer, decision, label, category, note, decided_us, final, grades)
              SELECT prediction_id, feature, $reviewer, $decision, $label, $category, $note, $now, $final, $grades FROM review_items
              WHERE feature = $feature AND prediction_id = $id AND status IN {OpenStatuses} AND claimed_by = $reviewer AND claim_expires_us >= $now;
            UPDATE review_items SET status = $next, claimed_by = NULL, claim_expires_us = NULL,
                escalated_because = CASE WHEN $next = '{Escalated}' THEN 'disagreement' ELSE escalated_because END
              WHERE feature = $feature AND prediction_id = $id AND status IN {OpenStatuses} AND claimed_by = $reviewer AND claim_expires_us >= $now;
            COMMIT;
            """;
        await WriteAsync(
                sql,
                cancellationToken,
                ("next", WireName.Of(next)),
                ("final", decision.Final),
                ("feature", decision.Feature),
                ("id", decision.PredictionId),
                ("reviewer", decision.Reviewer),
                ("decision", decision.Decision),
                ("label", (object?)decision.Label ?? DBNull.Value),
                ("category", (object?)decision.Category ?? DBNull.Value),
                ("note", (object?)decision.Note ?? DBNull.Value),
                ("grades", (object?)StoredGrades.Write(decision.Grades) ?? DBNull.Value),
                ("now", UnixMicroseconds.From(decision.DecidedAt))
            )
            .ConfigureAwait(false);
        var decided = await QueryAsync(
                "SELECT count(*) FROM review_decisions WHERE feature = $feature AND prediction_id = $id AND reviewer = $reviewer AND decided_us = $now",
                r => r.GetInt64(0),
                cancellationToken,
                ("feature", decision.Feature),
                ("id", decision.PredictionId),
                ("reviewer", decision.Reviewer),
                ("now", UnixMicroseconds.From(decision.DecidedAt))
            )
            .ConfigureAwait(false);
        return decided[0] > 0;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ReviewDecision>> UnrecordedDecisionsAsync(
        CancellationToken cancellationToken = default
    ) =>
        QueryAsync(
            "SELECT d.feature, d.prediction_id, d.reviewer, d.decision, d.label, d.category, d.note, d.decided_us FROM review_decisions d "
                +
                // The outcome id is DerivedIds.ReviewOutcome, the rule ReviewDecision.OutcomeId follows.
                $"WHERE d.label IS NOT NULL AND d.final AND NOT EXISTS (SELECT 1 FROM outcomes o WHERE o.feature = d.feature AND o.prediction_id = d.prediction_id AND o.id = {RuleFunctions.ReviewOutcomeId}(d.prediction_id, d.decided_us))",
            r => new ReviewDecision(
                r.GetString(0),
                r.GetString(1),
                r.GetString(2),
                r.GetString(3),
                r.GetString(4),
                r.IsDBNull(5) ? null : r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6),
                UnixMicroseconds.ToTime(r.GetInt64(7))
            ),
            cancellationToken
        );

    /// <inheritdoc />
    public async Task<IReadOnlySet<string>> RegressionCaseIdsAsync(
        string feature,
        CancellationToken cancellationToken = default
    ) =>
        (
            await QueryAsync(
                    "SELECT DISTINCT prediction_id FROM review_decisions WHERE feature = $feature AND final AND decision IN ('correct', 'reject')",
                    r => r.GetString(0),
                    cancellationToken,
                    ("feature", feature)
                )
                .ConfigureAwait(false)
        ).ToHashSet(StringComparer.Ordinal);

    /// <inheritdoc />
    public async Task<int> EscalateReviewItemsAsync(
        string feature,
        DateTimeOffset before,
        CancellationToken cancellationToken = default
    )
    {
        var waiting = await QueryAsync(
                $"SELECT count(*) FROM review_items WHERE feature = $feature AND status IN ('{Pending}', '{Second}') AND routed_us < $before",
                r => r.GetInt64(0),
                cancellationToken,
                ("feature", feature),
                ("before", UnixMicroseconds.From(before))
            )
            .ConfigureAwait(false);
        if (waiting[0] == 0)
        {
            return 0;
        }
        await WriteAsync(
                $"UPDATE review_items SET status = '{Escalated}', escalated_because = 'waited' WHERE feature = $feature AND status IN ('{Pending}', '{Second}') AND routed_us < $before",
                cancellationToken,
                ("feature", feature),
                ("before", UnixMicroseconds.From(before))
            )
            .ConfigureAwait(false);
        return (int)waiting[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<(DateTimeOffset Day, long Decided)>> DecisionsPerDayAsync(
        string feature,
        DateTimeOffset now,
        int days,
        CancellationToken cancellationToken = default
    )
    {
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var first = today.AddDays(1 - days);
        var counts = (
            await QueryAsync(
                    "SELECT decided_us // 86400000000, count(*) FROM review_decisions WHERE feature = $feature AND decided_us >= $from GROUP BY 1",
                    r => (r.GetInt64(0), r.GetInt64(1)),
                    cancellationToken,
                    ("feature", feature),
                    ("from", UnixMicroseconds.From(first))
                )
                .ConfigureAwait(false)
        ).ToDictionary(c => c.Item1, c => c.Item2);
        return
        [
            .. Enumerable
                .Range(0, days)
                .Select(d => first.AddDays(d))
                .Select(day => (day, counts.GetValueOrDefault(UnixMicroseconds.From(day) / 86_400_000_000))),
        ];
    }

    /// <inheritdoc />
    public async Task<ReviewQueueCounts> CountReviewItemsAsync(
        string feature,
        CancellationToken cancellationToken = default
    ) =>
        (
            await QueryAsync(
                    $"SELECT count(*) FILTER (WHERE status = '{Pending}'), min(routed_us) FILTER (WHERE status = '{Pending}'), count(*) FILTER (WHERE status = '{Decided}'), "
                        + $"count(*) FILTER (WHERE status = '{Escalated}'), count(*) FILTER (WHERE reason = 'uncertain'), count(*) FILTER (WHERE reason = 'sample'), "
                        + $"count(*) FILTER (WHERE status = '{Second}'), count(*) FILTER (WHERE escalated_because = 'disagreement'), "
                        + $"count(*) FILTER (WHERE reason IN {WorkflowRouted}) "
                        + "FROM review_items WHERE feature = $feature",
                    r => new ReviewQueueCounts(
                        r.GetInt64(0),
                        r.IsDBNull(1) ? null : UnixMicroseconds.ToTime(r.GetInt64(1)),
                        r.GetInt64(2),
                        r.GetInt64(3),
                        r.GetInt64(4),
                        r.GetInt64(5),
                        r.GetInt64(6),
                        r.GetInt64(7),
                        r.GetInt64(8)
                    ),
                    cancellationToken,
                    ("feature", feature)
                )
                .ConfigureAwait(false)
        )[0];

    /// <inheritdoc />
    public Task<IReadOnlyList<ReviewDecision>> ReviewDecisionsAsync(
        string feature,
        string predictionId,
        CancellationToken cancellationToken = default
    ) =>
        QueryAsync(
            "SELECT feature, prediction_id, reviewer, decision, label, category, note, decided_us, final, grades FROM review_decisions "
                + "WHERE feature = $feature AND prediction_id = $id ORDER BY id",
            r => new ReviewDecision(
                r.GetString(0),
                r.GetString(1),
                r.GetString(2),
                r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4),
                r.IsDBNull(5) ? null : r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6),
                UnixMicroseconds.ToTime(r.GetInt64(7))
            )
            {
                Final = r.GetBoolean(8),
                Grades = r.IsDBNull(9) ? null : StoredGrades.Read(r.GetString(9)),
            },
            cancellationToken,
            ("feature", feature),
            ("id", predictionId)
        );

    /// <inheritdoc />
    public Task<IReadOnlyList<(string First, string Second)>> SecondOpinionsAsync(
        string feature,
        CancellationToken cancellationToken = default
    ) =>
        QueryAsync(
            "SELECT first(answer ORDER BY id), last(answer ORDER BY id) FROM ("
                + "  SELECT prediction_id, id, coalesce(label, decision) AS answer, row_number() OVER (PARTITION BY prediction_id ORDER BY id) AS k "
                + "  FROM review_decisions WHERE feature = $feature) WHERE k <= 2 GROUP BY prediction_id HAVING count(*) = 2 ORDER BY prediction_id",
            r => (r.GetString(0), r.GetString(1)),
            cancellationToken,
            ("feature", feature)
        );

    /// <inheritdoc />
    public Task<IReadOnlyList<SettledReview>> SettledReviewsAsync(
        string feature,
        CancellationToken cancellationToken = default
    ) =>
        QueryAsync(
            "SELECT d.prediction_id, d.decision, d.label, d.category, CASE WHEN isfinite(p.score) THEN p.score END, p.prediction FROM review_decisions d JOIN "
                + StoreSchema.FirstReceived(
                    "predictions",
                    "feature = $feature AND id IN (SELECT prediction_id FROM review_decisions WHERE feature = $feature AND final)"
                )
                + " p ON p.feature = d.feature AND p.id = d.prediction_id WHERE d.feature = $feature AND d.final ORDER BY d.id",
            r => new SettledReview(
                r.GetString(0),
                r.GetString(1),
                r.IsDBNull(2) ? null : r.GetString(2),
                r.IsDBNull(3) ? null : r.GetString(3),
                r.IsDBNull(4) ? null : r.GetDouble(4),
                r.IsDBNull(5) ? null : r.GetString(5)
            ),
            cancellationToken,
            ("feature", feature)
        );

    /// <inheritdoc />
    public async Task<IReadOnlyList<RubricGrade>> ReviewGradesAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        CancellationToken cancellationToken = default
    ) =>
        [
            .. (
                await QueryAsync(
                        "SELECT d.prediction_id, d.grades FROM review_decisions d JOIN "
                            + StoreSchema.FirstReceived(
                                "predictions",
                                InRange
                                    + " AND id IN (SELECT prediction_id FROM review_decisions WHERE feature = $feature AND final AND grades IS NOT NULL)"
                            )
                            + " p ON p.feature = d.feature AND p.id = d.prediction_id "
                            + "WHERE d.feature = $feature AND d.final AND d.grades IS NOT NULL ORDER BY d.prediction_id",
                        r => (Id: r.GetString(0), Grades: StoredGrades.Read(r.GetString(1))),
                        cancellationToken,
                        ("feature", feature),
                        ("from", UnixMicroseconds.From(from)),
                        ("to", UnixMicroseconds.From(to))
                    )
                    .ConfigureAwait(false)
            ).SelectMany(d =>
                d.Grades.OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => new RubricGrade(d.Id, g.Key, g.Value, GradeSource.Person))
            ),
        ];

    /// <inheritdoc />
    public Task<IReadOnlyList<ReviewedOutput>> ReviewedOutputsAsync(
        string feature,
        CancellationToken cancellationToken = default
    ) =>
        QueryAsync(
            "WITH graded AS (SELECT prediction_id, last(grades ORDER BY id) AS grades FROM review_decisions "
                + "  WHERE feature = $feature AND final AND grades IS NOT NULL GROUP BY prediction_id), "
                + "disliked AS (SELECT prediction_id, list(DISTINCT kind ORDER BY kind) AS kinds FROM feedback "
                + "  WHERE feature = $feature AND kind IN ('thumbs_down', 'regenerated') GROUP BY prediction_id), "
                + "disputed AS (SELECT prediction_id FROM review_items WHERE feature = $feature AND escalated_because = 'disagreement') "
                + "SELECT p.id, p.time_us, p.inputs, p.output, p.attributes, g.grades, s.prediction_id IS NOT NULL, coalesce(f.kinds, []) "
                + "FROM "
                + StoreSchema.FirstReceived(
                    "predictions",
                    "feature = $feature AND id IN (SELECT prediction_id FROM graded UNION ALL SELECT prediction_id FROM disliked "
                        + "UNION ALL SELECT prediction_id FROM disputed)"
                )
                + " p LEFT JOIN graded g ON g.prediction_id = p.id LEFT JOIN disliked f ON f.prediction_id = p.id "
                + "LEFT JOIN disputed s ON s.prediction_id = p.id WHERE p.feature = $feature "
                + "AND (g.grades IS NOT NULL OR f.kinds IS NOT NULL OR s.prediction_id IS NOT NULL) ORDER BY p.time_us, p.id",
            r => new ReviewedOutput(
                r.GetString(0),
                UnixMicroseconds.ToTime(r.GetInt64(1)),
                r.IsDBNull(2) ? null : r.GetString(2),
                r.IsDBNull(3) ? null : r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4),
                r.IsDBNull(5) ? null : StoredGrades.Read(r.GetString(5)),
                r.GetBoolean(6),
                [.. r.GetFieldValue<List<string>>(7)]
            ),
            cancellationToken,
            ("feature", feature)
        );

    /// <inheritdoc />
    public Task ReleaseReviewItemAsync(
        string feature,
        string predictionId,
        string reviewer,
        CancellationToken cancellationToken = default
    ) =>
        WriteAsync(
            "UPDATE review_items SET claimed_by = NULL, claim_expires_us = NULL WHERE feature = $feature AND prediction_id = $id AND claimed_by = $reviewer",
            cancellationToken,
            ("feature", feature),
            ("id", predictionId),
            ("reviewer", reviewer)
        );
}
