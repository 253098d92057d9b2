using System.Data.Common;
using Npgsql;
using Overlap.Core.Generative;
using Overlap.Core.Sampling;
using Overlap.Core.Text;
using Overlap.Events;
using Overlap.Storage.DuckDb;

namespace Overlap.Storage.Postgres;

// The review queue on the server backend: items, claims and decisions in PostgreSQL, routed from the event store's
// predictions (read in the order the store received them), so every instance shares one queue. An item keeps a copy of
// what the queue shows (score, prediction, inputs, output), so listing the queue never reads the event store.
internal sealed partial class PostgresStore : IReviewStore
{
    /// <summary>
    /// How far before the latest receipt time already routed routing reads again: an instance that loads its ingest log
    /// a little late stores predictions with receipt times a little in the past, and they are routed all the same (one
    /// routed already stays as it is; one looked at twice gets the same answer, by its score and id).
    /// </summary>
    internal static readonly TimeSpan RoutingLookBack = TimeSpan.FromMinutes(1);

    /// <summary>How many predictions the judge's picking reads from the event store at a time.</summary>
    private const int PredictionPage = 2000;

    /// <summary>
    /// How many predictions routing reads from the event store at a time. On ClickHouse a page first finds its last
    /// receipt time over every stored row (the tables are ordered by id), about 0.4 s at 30,000,000: pages of 2,000
    /// kept both shards busy for half an hour after a burst of 2,000,000.
    /// </summary>
    private const int RoutingPage = 20_000;

    /// <summary>
    /// The advisory lock (two keys, as SQL naming <c>@feature</c>) an instance holds while it routes a feature's queue;
    /// another instance that finds it held skips its pass (the holder routes what both would have).
    /// </summary>
    internal const string RoutingLock = "hashtext('overlap review routing'), hashtext(@feature)";

    /// <summary>The advisory lock an instance holds while its judge picks and grades a feature's outputs.</summary>
    internal const string GradingLock = "hashtext('overlap model grading'), hashtext(@feature)";

    private static readonly string PendingStatus = WireName.Of(ReviewStatus.Pending);
    private static readonly string SecondStatus = WireName.Of(ReviewStatus.Second);
    private static readonly string EscalatedStatus = WireName.Of(ReviewStatus.Escalated);
    private static readonly string DecidedStatus = WireName.Of(ReviewStatus.Decided);

    /// <summary>The statuses of an item still open for a decision, as a parameter.</summary>
    private static readonly string[] OpenStatuses = [PendingStatus, SecondStatus, EscalatedStatus];

    /// <summary>The event store beside this one; routing, the judge's picks and recorded outcomes need it.</summary>
    private IEventReader EventReader() =>
        events()
        ?? throw new InvalidOperationException(
            "the review queue on PostgreSQL reads predictions from the event store; start the server with "
                + "--clickhouse too"
        );

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
        ArgumentNullException.ThrowIfNull(feature);
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
        var reader = EventReader();
        var hold = await HoldAsync(RoutingLock, feature, cancellationToken).ConfigureAwait(false);
        if (hold is null)
        {
            return 0;
        }
        await using (hold.ConfigureAwait(false))
        {
            // The same rules as every store: the uncertain band, then Core's stable sample of the others.
            return await RouteAsync(
                    reader,
                    feature,
                    p => ReviewReasons.Of(p, InBand(p.Score, scoreLow, scoreHigh), sample),
                    p => StableSample.NeedsSecondOpinion(p.Id, secondOpinion) ? 2 : 1,
                    now,
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Takes the advisory <paramref name="lockKeys"/> (SQL naming <c>@feature</c>) for <paramref name="feature"/> on a
    /// connection of its own, kept open until the returned hold is disposed; null, with the connection given back, when
    /// another session holds it. With <paramref name="wait"/>, waits until the other session lets go instead (without a
    /// command timeout: the holder may compute for minutes; <paramref name="cancellationToken"/> ends the wait).
    /// </summary>
    private async Task<IAsyncDisposable?> HoldAsync(
        string lockKeys,
        string feature,
        CancellationToken cancellationToken,
        bool wait = false
    )
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (wait)
            {
                await using var command = new NpgsqlCommand($"SELECT pg_advisory_lock({lockKeys})", connection)
                {
                    CommandTimeout = 0,
                };
                command.Parameters.AddWithValue("feature", feature);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return new AdvisoryHold(connection, lockKeys, feature);
            }
            if (await LockAsync(connection, "pg_try_advisory_lock", lockKeys, feature).ConfigureAwait(false))
            {
                return new AdvisoryHold(connection, lockKeys, feature);
            }
        }
        catch (NpgsqlException e) when (Lost(e) && !cancellationToken.IsCancellationRequested)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw Unavailable(e, server);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    private static async Task<bool> LockAsync(
        NpgsqlConnection connection,
        string function,
        string lockKeys,
        string feature
    )
    {
        await using var command = new NpgsqlCommand($"SELECT {function}({lockKeys})", connection);
        command.Parameters.AddWithValue("feature", feature);
        // Unlocking runs even when the pass was cancelled: the lock must not outlive it on a pooled connection.
        return (bool)(await command.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false))!;
    }

    /// <summary>An advisory lock held on its own connection: disposed, it unlocks and gives the connection back.</summary>
    private sealed class AdvisoryHold(NpgsqlConnection connection, string lockKeys, string feature) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 1)
            {
                return;
            }
            try
            {
                await LockAsync(connection, "pg_advisory_unlock", lockKeys, feature).ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // The session ended, and its lock with it.
            }
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One routing pass over the predictions received since the feature's position, a page at a time: each prediction
    /// with a <paramref name="reason"/> becomes a pending item for <paramref name="opinions"/> reviewers.
    /// </summary>
    private async Task<int> RouteAsync(
        IEventReader reader,
        string feature,
        Func<StoredPrediction, string?> reason,
        Func<StoredPrediction, int> opinions,
        DateTimeOffset now,
        CancellationToken cancellationToken
    )
    {
        var until = (
            await QueryAsync(
                    "SELECT routed_until FROM review_routing WHERE feature = @feature",
                    r => Time(r, 0),
                    cancellationToken,
                    ("feature", feature)
                )
                .ConfigureAwait(false)
        ).ToList();
        var after = until.Count == 0 ? ReceivedPosition.Start : ReceivedPosition.Before(until[0] - RoutingLookBack);
        var routed = 0;
        while (true)
        {
            var page = await reader
                .PredictionsAfterAsync(feature, after, RoutingPage, cancellationToken)
                .ConfigureAwait(false);
            if (page.Count == 0)
            {
                break;
            }
            var picked = page.Select(p => (Prediction: p, Reason: reason(p)))
                .Where(p => p.Reason is not null)
                .Select(p => (p.Prediction, Reason: p.Reason!))
                .ToList();
            var received = page.Max(p => p.Received);
            routed += await InTransactionAsync(
                    async connection =>
                    {
                        var inserted =
                            picked.Count == 0
                                ? 0
                                : await InsertItemsAsync(connection, feature, picked, opinions, now, cancellationToken)
                                    .ConfigureAwait(false);
                        await WriteAsync(
                                connection,
                                "INSERT INTO review_routing (feature, routed_until) VALUES (@feature, @until) "
                                    + "ON CONFLICT (feature) DO UPDATE "
                                    + "SET routed_until = greatest(review_routing.routed_until, excluded.routed_until)",
                                cancellationToken,
                                ("feature", feature),
                                ("until", received)
                            )
                            .ConfigureAwait(false);
                        return inserted;
                    },
                    cancellationToken
                )
                .ConfigureAwait(false);
            if (page.Count < RoutingPage)
            {
                break;
            }
            after = page[^1].Position;
        }
        return routed;
    }

    /// <summary>Whether a score is in [low, high]; infinite bounds are the largest finite ones, as in DuckDB.</summary>
    private static bool InBand(double? score, double low, double high) =>
        score is { } s && s >= Math.Max(low, double.MinValue) && s <= Math.Min(high, double.MaxValue);

    /// <summary>Inserts the picked predictions as pending items (one routed already stays); how many are new.</summary>
    private static Task<int> InsertItemsAsync(
        NpgsqlConnection connection,
        string feature,
        List<(StoredPrediction Prediction, string Reason)> picked,
        Func<StoredPrediction, int> opinions,
        DateTimeOffset now,
        CancellationToken cancellationToken
    ) =>
        WriteAsync(
            connection,
            "INSERT INTO review_items (feature, prediction_id, reason, routed_at, status, opinions, prediction_time, "
                + "received_at, score, prediction, inputs, attributes, output, workflow_reason) "
                + "SELECT @feature, u.id, u.reason, @now, @pending, u.opinions, u.time, u.received, u.score, "
                + "u.prediction, u.inputs, u.attributes, u.output, u.workflow FROM unnest(@ids, @reasons, @opinions, "
                + "@times, @receiveds, @scores, @predictions, @inputs, @attributes, @outputs, @workflows) "
                + "AS u(id, reason, opinions, time, received, score, prediction, inputs, attributes, output, workflow) "
                + "ON CONFLICT DO NOTHING",
            cancellationToken,
            ("feature", feature),
            ("now", now),
            ("pending", PendingStatus),
            ("ids", picked.Select(p => p.Prediction.Id).ToArray()),
            ("reasons", picked.Select(p => p.Reason).ToArray()),
            ("opinions", picked.Select(p => opinions(p.Prediction)).ToArray()),
            ("times", picked.Select(p => Core.Timestamps.UnixMicroseconds.Stored(p.Prediction.Time)).ToArray()),
            ("receiveds", picked.Select(p => Core.Timestamps.UnixMicroseconds.Stored(p.Prediction.Received)).ToArray()),
            ("scores", picked.Select(p => p.Prediction.Score).ToArray()),
            ("predictions", picked.Select(p => p.Prediction.Prediction).ToArray()),
            ("inputs", picked.Select(p => p.Prediction.Inputs).ToArray()),
            ("attributes", picked.Select(p => p.Prediction.Attributes).ToArray()),
            ("outputs", picked.Select(p => p.Prediction.Output).ToArray()),
            ("workflows", picked.Select(p => p.Prediction.Workflow?.Reason).ToArray())
        );

    private const string ItemColumns =
        "SELECT prediction_id, feature, reason, routed_at, status, claimed_by, claim_expires, prediction_time, score, "
        + "prediction, inputs, attributes, opinions, escalated_because, output, workflow_reason FROM review_items ";

    private static ReviewItem ReadItem(DbDataReader r) =>
        new(
            r.GetString(0),
            r.GetString(1),
            r.GetString(2),
            Time(r, 3),
            WireName.Parse<ReviewStatus>(r.GetString(4)),
            OptionalText(r, 5),
            OptionalTime(r, 6),
            Time(r, 7),
            r.IsDBNull(8) ? null : r.GetDouble(8),
            OptionalText(r, 9),
            OptionalText(r, 10),
            OptionalText(r, 11),
            r.GetInt32(12),
            OptionalText(r, 13),
            OptionalText(r, 14),
            OptionalText(r, 15)
        );

    /// <inheritdoc />
    public Task<IReadOnlyList<ReviewItem>> ListReviewItemsAsync(
        string feature,
        ReviewStatus? status,
        int limit,
        CancellationToken cancellationToken = default
    ) =>
        QueryAsync(
            ItemColumns
                + "WHERE feature = @feature AND (@status::text IS NULL OR status = @status::text) "
                + "ORDER BY routed_at, prediction_time, prediction_id COLLATE \"C\" LIMIT @limit",
            ReadItem,
            cancellationToken,
            ("feature", feature),
            ("status", status is { } named ? WireName.Of(named) : null),
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
                    ItemColumns + "WHERE feature = @feature AND prediction_id = @id",
                    ReadItem,
                    cancellationToken,
                    ("feature", feature),
                    ("id", predictionId)
                )
                .ConfigureAwait(false)
        ).SingleOrDefault();

    /// <inheritdoc />
    /// <remarks>
    /// One conditional UPDATE: PostgreSQL locks the row, and a second claim waiting on that lock checks the condition
    /// again against the row as the first one left it, so of two reviewers (on two instances) exactly one wins.
    /// </remarks>
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
                "UPDATE review_items SET claimed_by = @reviewer, claim_expires = @until "
                    + "WHERE feature = @feature AND prediction_id = @id AND status = ANY(@open) "
                    + "AND (claimed_by IS NULL OR claimed_by = @reviewer OR claim_expires < @now) "
                    + "AND NOT EXISTS (SELECT 1 FROM review_decisions d WHERE d.feature = @feature "
                    + "AND d.prediction_id = @id AND d.reviewer = @reviewer)",
                cancellationToken,
                ("feature", feature),
                ("id", predictionId),
                ("reviewer", reviewer),
                ("open", OpenStatuses),
                ("now", now),
                ("until", until)
            )
            .ConfigureAwait(false);
        return await GetReviewItemAsync(feature, predictionId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The item's row is locked (<c>FOR UPDATE</c>) while the lock's holder is checked, the decision written and the
    /// status moved on, all in one transaction.
    /// </remarks>
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
        return await InTransactionAsync(
                async connection =>
                {
                    var held = await ScalarAsync(
                            connection,
                            "SELECT count(*) FROM (SELECT 1 FROM review_items WHERE feature = @feature "
                                + "AND prediction_id = @id AND status = ANY(@open) AND claimed_by = @reviewer "
                                + "AND claim_expires >= @now FOR UPDATE) AS held",
                            cancellationToken,
                            ("feature", decision.Feature),
                            ("id", decision.PredictionId),
                            ("open", OpenStatuses),
                            ("reviewer", decision.Reviewer),
                            ("now", decision.DecidedAt)
                        )
                        .ConfigureAwait(false);
                    if (held is not 1L)
                    {
                        return false;
                    }
                    await WriteAsync(
                            connection,
                            "INSERT INTO review_decisions (feature, prediction_id, reviewer, decision, label, "
                                + "category, note, decided_at, final, grades) VALUES (@feature, @id, @reviewer, "
                                + "@decision, @label, @category, @note, @now, @final, @grades)",
                            cancellationToken,
                            ("feature", decision.Feature),
                            ("id", decision.PredictionId),
                            ("reviewer", decision.Reviewer),
                            ("decision", decision.Decision),
                            ("label", decision.Label),
                            ("category", decision.Category),
                            ("note", decision.Note),
                            ("now", decision.DecidedAt),
                            ("final", decision.Final),
                            ("grades", StoredGrades.Write(decision.Grades))
                        )
                        .ConfigureAwait(false);
                    await WriteAsync(
                            connection,
                            "UPDATE review_items SET status = @next, claimed_by = NULL, claim_expires = NULL, "
                                + "escalated_because = CASE WHEN @next = @escalated THEN 'disagreement' "
                                + "ELSE escalated_because END WHERE feature = @feature AND prediction_id = @id",
                            cancellationToken,
                            ("next", WireName.Of(next)),
                            ("escalated", EscalatedStatus),
                            ("feature", decision.Feature),
                            ("id", decision.PredictionId)
                        )
                        .ConfigureAwait(false);
                    return true;
                },
                cancellationToken
            )
            .ConfigureAwait(false);
    }

    private const string DecisionColumns =
        "SELECT feature, prediction_id, reviewer, decision, label, category, note, decided_at, final, grades, id "
        + "FROM review_decisions ";

    private static ReviewDecision ReadDecision(DbDataReader r) =>
        new(
            r.GetString(0),
            r.GetString(1),
            r.GetString(2),
            r.GetString(3),
            OptionalText(r, 4),
            OptionalText(r, 5),
            OptionalText(r, 6),
            Time(r, 7)
        )
        {
            Final = r.GetBoolean(8),
            Grades = r.IsDBNull(9) ? null : StoredGrades.Read(r.GetString(9)),
        };

    /// <inheritdoc />
    /// <remarks>
    /// A decision is marked recorded once its outcome is found in the event store, so each is looked up there once
    /// after it is made; the ones not found are returned, and sending them again is harmless (the outcome's id is
    /// derived from the decision, and the event store keeps one event per id).
    /// </remarks>
    public async Task<IReadOnlyList<ReviewDecision>> UnrecordedDecisionsAsync(
        CancellationToken cancellationToken = default
    )
    {
        var waiting = await QueryAsync(
                DecisionColumns + "WHERE final AND label IS NOT NULL AND NOT recorded ORDER BY id",
                r => (Decision: ReadDecision(r), Id: r.GetInt64(10)),
                cancellationToken
            )
            .ConfigureAwait(false);
        if (waiting.Count == 0)
        {
            return [];
        }
        var reader = EventReader();
        var unrecorded = new List<ReviewDecision>();
        var recorded = new List<long>();
        foreach (var (decision, id) in waiting)
        {
            // The outcome carries the decision's time, so one microsecond of the feature's events holds it if stored.
            var at = await reader
                .ReadEventsAsync(
                    decision.Feature,
                    decision.DecidedAt,
                    decision.DecidedAt.AddTicks(10),
                    cancellationToken
                )
                .ConfigureAwait(false);
            if (at.Any(e => e is OutcomeEvent && e.Id == decision.OutcomeId))
            {
                recorded.Add(id);
            }
            else
            {
                unrecorded.Add(decision with { Final = true, Grades = null });
            }
        }
        if (recorded.Count > 0)
        {
            await WriteAsync(
                    "UPDATE review_decisions SET recorded = true WHERE id = ANY(@ids)",
                    cancellationToken,
                    ("ids", recorded.ToArray())
                )
                .ConfigureAwait(false);
        }
        return unrecorded;
    }

    /// <inheritdoc />
    public async Task<IReadOnlySet<string>> RegressionCaseIdsAsync(
        string feature,
        CancellationToken cancellationToken = default
    ) =>
        (
            await QueryAsync(
                    "SELECT DISTINCT prediction_id FROM review_decisions WHERE feature = @feature AND final "
                        + "AND decision IN ('correct', 'reject')",
                    r => r.GetString(0),
                    cancellationToken,
                    ("feature", feature)
                )
                .ConfigureAwait(false)
        ).ToHashSet(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<int> EscalateReviewItemsAsync(
        string feature,
        DateTimeOffset before,
        CancellationToken cancellationToken = default
    ) =>
        WriteAsync(
            "UPDATE review_items SET status = @escalated, escalated_because = 'waited' WHERE feature = @feature "
                + "AND status IN (@pending, @second) AND routed_at < @before",
            cancellationToken,
            ("escalated", EscalatedStatus),
            ("feature", feature),
            ("pending", PendingStatus),
            ("second", SecondStatus),
            ("before", before)
        );

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
                    "SELECT floor(extract(epoch FROM decided_at) / 86400)::bigint, count(*) FROM review_decisions "
                        + "WHERE feature = @feature AND decided_at >= @from GROUP BY 1",
                    r => (Day: r.GetInt64(0), Count: r.GetInt64(1)),
                    cancellationToken,
                    ("feature", feature),
                    ("from", first)
                )
                .ConfigureAwait(false)
        ).ToDictionary(c => c.Day, c => c.Count);
        return
        [
            .. Enumerable
                .Range(0, days)
                .Select(d => first.AddDays(d))
                .Select(day => (day, counts.GetValueOrDefault((long)(day - DateTimeOffset.UnixEpoch).TotalDays))),
        ];
    }

    /// <inheritdoc />
    public async Task<ReviewQueueCounts> CountReviewItemsAsync(
        string feature,
        CancellationToken cancellationToken = default
    ) =>
        (
            await QueryAsync(
                    "SELECT count(*) FILTER (WHERE status = @pending), "
                        + "min(routed_at) FILTER (WHERE status = @pending), "
                        + "count(*) FILTER (WHERE status = @decided), count(*) FILTER (WHERE status = @escalated), "
                        + "count(*) FILTER (WHERE reason = 'uncertain'), count(*) FILTER (WHERE reason = 'sample'), "
                        + "count(*) FILTER (WHERE status = @second), "
                        + "count(*) FILTER (WHERE escalated_because = 'disagreement'), "
                        + "count(*) FILTER (WHERE reason = ANY(@workflow)) "
                        + "FROM review_items WHERE feature = @feature",
                    r => new ReviewQueueCounts(
                        r.GetInt64(0),
                        OptionalTime(r, 1),
                        r.GetInt64(2),
                        r.GetInt64(3),
                        r.GetInt64(4),
                        r.GetInt64(5),
                        r.GetInt64(6),
                        r.GetInt64(7),
                        r.GetInt64(8)
                    ),
                    cancellationToken,
                    ("workflow", ReviewReasons.Workflow.ToArray()),
                    ("pending", PendingStatus),
                    ("decided", DecidedStatus),
                    ("escalated", EscalatedStatus),
                    ("second", SecondStatus),
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
            DecisionColumns + "WHERE feature = @feature AND prediction_id = @id ORDER BY id",
            ReadDecision,
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
            "SELECT (array_agg(answer ORDER BY id))[1], (array_agg(answer ORDER BY id))[2] FROM ("
                + "SELECT prediction_id, id, coalesce(label, decision) AS answer, "
                + "row_number() OVER (PARTITION BY prediction_id ORDER BY id) AS k "
                + "FROM review_decisions WHERE feature = @feature) AS opinions "
                + "WHERE k <= 2 GROUP BY prediction_id HAVING count(*) = 2 ORDER BY prediction_id COLLATE \"C\"",
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
            "SELECT d.prediction_id, d.decision, d.label, d.category, i.score, i.prediction FROM review_decisions d "
                + "JOIN review_items i ON i.feature = d.feature AND i.prediction_id = d.prediction_id "
                + "WHERE d.feature = @feature AND d.final ORDER BY d.id",
            r => new SettledReview(
                r.GetString(0),
                r.GetString(1),
                OptionalText(r, 2),
                OptionalText(r, 3),
                r.IsDBNull(4) ? null : r.GetDouble(4),
                OptionalText(r, 5)
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
                        "SELECT d.prediction_id, d.grades FROM review_decisions d JOIN review_items i "
                            + "ON i.feature = d.feature AND i.prediction_id = d.prediction_id "
                            + "WHERE d.feature = @feature AND d.final AND d.grades IS NOT NULL "
                            + "AND i.prediction_time >= @from AND i.prediction_time < @to "
                            + "ORDER BY d.prediction_id COLLATE \"C\", d.id",
                        r => (Id: r.GetString(0), Grades: StoredGrades.Read(r.GetString(1))),
                        cancellationToken,
                        ("feature", feature),
                        ("from", from),
                        ("to", to)
                    )
                    .ConfigureAwait(false)
            ).SelectMany(d =>
                d.Grades.OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => new RubricGrade(d.Id, g.Key, g.Value, GradeSource.Person))
            ),
        ];

    /// <inheritdoc />
    /// <remarks>
    /// Graded and disputed outputs come from the items' copies; the thumbs_down and regenerated feedback (and the
    /// outputs it names that were never routed) from the event store, read whole: this is an export, not a page.
    /// </remarks>
    public async Task<IReadOnlyList<ReviewedOutput>> ReviewedOutputsAsync(
        string feature,
        CancellationToken cancellationToken = default
    )
    {
        var reviewed = await QueryAsync(
                "SELECT i.prediction_id, i.prediction_time, i.inputs, i.output, i.attributes, "
                    + "(SELECT d.grades FROM review_decisions d WHERE d.feature = i.feature "
                    + "AND d.prediction_id = i.prediction_id AND d.final AND d.grades IS NOT NULL "
                    + "ORDER BY d.id DESC LIMIT 1), coalesce(i.escalated_because = 'disagreement', false) "
                    + "FROM review_items i WHERE i.feature = @feature",
                r => new ReviewedOutput(
                    r.GetString(0),
                    Time(r, 1),
                    OptionalText(r, 2),
                    OptionalText(r, 3),
                    OptionalText(r, 4),
                    r.IsDBNull(5) ? null : StoredGrades.Read(r.GetString(5)),
                    r.GetBoolean(6),
                    []
                ),
                cancellationToken,
                ("feature", feature)
            )
            .ConfigureAwait(false);
        var stored = await EventReader()
            .ReadEventsAsync(feature, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue, cancellationToken)
            .ConfigureAwait(false);
        var disliked = stored
            .OfType<FeedbackEvent>()
            .Where(f => f.FeedbackKind is "thumbs_down" or "regenerated")
            .GroupBy(f => f.PredictionId, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<string>)[.. g.Select(f => f.FeedbackKind).Distinct().Order(StringComparer.Ordinal)],
                StringComparer.Ordinal
            );
        var items = reviewed.ToDictionary(r => r.PredictionId, StringComparer.Ordinal);
        return
        [
            .. stored
                .OfType<PredictionEvent>()
                .Select(p =>
                {
                    var feedback = disliked.GetValueOrDefault(p.Id) ?? [];
                    return items.TryGetValue(p.Id, out var item)
                        ? item with
                        {
                            Feedback = feedback,
                        }
                        : new ReviewedOutput(
                            p.Id,
                            p.Time,
                            p.InputsJson,
                            p.Output,
                            p.AttributesJson,
                            null,
                            false,
                            feedback
                        );
                })
                .Where(o => o.Grades is not null || o.Disagreement || o.Feedback.Count > 0)
                .OrderBy(o => o.PredictionTime)
                .ThenBy(o => o.PredictionId, StringComparer.Ordinal),
        ];
    }

    /// <inheritdoc />
    public Task ReleaseReviewItemAsync(
        string feature,
        string predictionId,
        string reviewer,
        CancellationToken cancellationToken = default
    ) =>
        WriteAsync(
            "UPDATE review_items SET claimed_by = NULL, claim_expires = NULL WHERE feature = @feature "
                + "AND prediction_id = @id AND claimed_by = @reviewer",
            cancellationToken,
            ("feature", feature),
            ("id", predictionId),
            ("reviewer", reviewer)
        );
}
