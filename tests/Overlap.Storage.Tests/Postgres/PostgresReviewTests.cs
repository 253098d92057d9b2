using Overlap.Events;
using Overlap.Storage.DuckDb;
using Overlap.Storage.Postgres;

namespace Overlap.Storage.Tests.Postgres;

/// <summary>
/// The review queue shared by two servers: two PostgreSQL stores on one database (each its own connection pool, as two
/// <c>overlap serve</c> processes have), over one event store (a real DuckDB file here).
/// </summary>
public sealed class PostgresReviewTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly string _database = PostgresServer.CreateDatabase();
    private readonly string _events = Directory.CreateTempSubdirectory("overlap-pg-review-").FullName;

    public void Dispose()
    {
        PostgresServer.DropDatabase(_database);
        Directory.Delete(_events, recursive: true);
    }

    /// <summary>Where the judge's picks of "replies" resume, as stored.</summary>
    private (DateTimeOffset Received, string Id) JudgePosition()
    {
        using var connection = new Npgsql.NpgsqlConnection(_database + ";Pooling=false");
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand(
            "SELECT received_at, prediction_id FROM judge_positions WHERE feature = 'replies'",
            connection
        );
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return (reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1));
    }

    private static IEnumerable<PredictionEvent> Uncertain(int count) =>
        Enumerable
            .Range(0, count)
            .Select(i => new PredictionEvent
            {
                Id = $"p{i}",
                Feature = "spam",
                Time = Noon.AddSeconds(i),
                Score = 0.5,
                Prediction = "spam",
            });

    [Fact]
    public async Task Two_servers_claiming_the_same_item_at_once_never_both_win_and_see_each_others_decisions()
    {
        await using var events = DuckDbStore.Open(_events);
        await using var one = PostgresStore.Open(_database, false, () => events);
        await using var two = PostgresStore.Open(_database, false, () => events);
        await events.AppendAsync([.. Uncertain(60)], Noon);
        Assert.Equal(60, await one.RouteForReviewAsync("spam", 0.4, 0.6, 0, 0, Noon));
        Assert.Equal(60, (await two.CountReviewItemsAsync("spam")).Pending);

        var at = Noon.AddMinutes(1);
        var wins = new Dictionary<string, int> { ["ana"] = 0, ["ben"] = 0 };
        for (var i = 0; i < 60; i++)
        {
            var id = $"p{i}";
            // Both claims start together; the one PostgreSQL lets through first holds the item, the other sees it held.
            using var start = new Barrier(2);
            var claims = await Task.WhenAll(
                Task.Run(() =>
                {
                    start.SignalAndWait();
                    return one.ClaimReviewItemAsync("spam", id, "ana", at, at.AddMinutes(10));
                }),
                Task.Run(() =>
                {
                    start.SignalAndWait();
                    return two.ClaimReviewItemAsync("spam", id, "ben", at, at.AddMinutes(10));
                })
            );
            var winner = claims[0]!.ClaimedBy;
            Assert.Equal(winner, claims[1]!.ClaimedBy);
            Assert.Contains(winner, wins.Keys);
            wins[winner!]++;

            // The loser cannot decide; the winner decides through its own server and the other server sees it.
            var (mine, theirs, loser) = winner == "ana" ? (one, two, "ben") : (two, one, "ana");
            Assert.False(
                await theirs.DecideReviewItemAsync(
                    new ReviewDecision("spam", id, loser, "approve", "spam", null, null, at),
                    ReviewStatus.Decided
                )
            );
            var decision = new ReviewDecision("spam", id, winner!, "correct", "ham", "newsletter", null, at);
            Assert.True(await mine.DecideReviewItemAsync(decision, ReviewStatus.Decided));
            Assert.Equal([decision], await theirs.ReviewDecisionsAsync("spam", id));
            var seen = await theirs.GetReviewItemAsync("spam", id);
            Assert.Equal((ReviewStatus.Decided, (string?)null), (seen!.Status, seen.ClaimedBy));
        }
        Assert.Equal(60, wins["ana"] + wins["ben"]);
        var counts = await one.CountReviewItemsAsync("spam");
        Assert.Equal((0L, 60L), (counts.Pending, counts.Decided));
        // Every decision's outcome is still to be recorded, whichever server is asked.
        Assert.Equal(60, (await two.UnrecordedDecisionsAsync()).Count);
    }

    [Fact]
    public async Task Two_servers_routing_at_once_route_each_prediction_once()
    {
        await using var events = DuckDbStore.Open(_events);
        await using var one = PostgresStore.Open(_database, false, () => events);
        await using var two = PostgresStore.Open(_database, false, () => events);
        // Whichever takes the feature's routing lock first routes them; the other skips its pass or finds none left.
        await events.AppendAsync([.. Uncertain(5000)], Noon);
        var routed = await Task.WhenAll(
            Task.Run(() => one.RouteForReviewAsync("spam", 0.4, 0.6, 0, 0, Noon)),
            Task.Run(() => two.RouteForReviewAsync("spam", 0.4, 0.6, 0, 0, Noon))
        );
        Assert.Equal(5000, routed.Sum());
        Assert.Equal(5000, (await one.CountReviewItemsAsync("spam")).Uncertain);

        // Predictions received within the look-back before the last routed receipt time (an instance that loaded its
        // log late) are routed too; those routed already are not routed again.
        await events.AppendAsync(
            [
                new PredictionEvent
                {
                    Id = "late",
                    Feature = "spam",
                    Time = Noon,
                    Score = 0.5,
                },
            ],
            Noon - PostgresStore.RoutingLookBack / 2
        );
        Assert.Equal(1, await two.RouteForReviewAsync("spam", 0.4, 0.6, 0, 0, Noon.AddMinutes(1)));
        Assert.Equal(0, await one.RouteForReviewAsync("spam", 0.4, 0.6, 0, 0, Noon.AddMinutes(2)));
    }

    [Fact]
    public async Task A_server_routing_a_feature_holds_it_and_the_other_skips_its_pass()
    {
        await using var events = DuckDbStore.Open(_events);
        await using var store = PostgresStore.Open(_database, false, () => events);
        await events.AppendAsync([.. Uncertain(30)], Noon);
        // Another instance's pass holds spam's routing lock: this one reads nothing and routes nothing (before, both
        // read and routed the same backlog, page by page).
        await using (var other = new Npgsql.NpgsqlConnection(_database + ";Pooling=false"))
        {
            await other.OpenAsync();
            await using var take = new Npgsql.NpgsqlCommand(
                $"SELECT pg_advisory_lock({PostgresStore.RoutingLock})",
                other
            );
            take.Parameters.AddWithValue("feature", "spam");
            await take.ExecuteNonQueryAsync();
            Assert.Equal(0, await store.RouteForReviewAsync("spam", 0.4, 0.6, 0, 0, Noon));
            Assert.Equal(0, (await store.CountReviewItemsAsync("spam")).Total);
            // Another feature's lock is its own.
            await events.AppendAsync([.. Uncertain(1).Select(p => p with { Id = "h1", Feature = "ham" })], Noon);
            Assert.Equal(1, await store.RouteForReviewAsync("ham", 0.4, 0.6, 0, 0, Noon));
            // The holder lets go. (Closing its connection would too, but the server ends that session a moment after
            // the socket closes: a pass straight after could still find the lock held, as CI once saw.)
            await using var release = new Npgsql.NpgsqlCommand(
                $"SELECT pg_advisory_unlock({PostgresStore.RoutingLock})",
                other
            );
            release.Parameters.AddWithValue("feature", "spam");
            Assert.True((bool)(await release.ExecuteScalarAsync())!);
        }
        // The holder let go; a pass of this instance let go of the lock it took.
        Assert.Equal(30, await store.RouteForReviewAsync("spam", 0.4, 0.6, 0, 0, Noon));
        await events.AppendAsync([.. Uncertain(31).Skip(30)], Noon.AddSeconds(1));
        Assert.Equal(1, await store.RouteForReviewAsync("spam", 0.4, 0.6, 0, 0, Noon.AddSeconds(1)));
    }

    /// <summary>
    /// Ends the session that holds the advisory lock <paramref name="which"/> (SQL on <c>pg_locks l</c>) in the test's
    /// database, as a killed server's session ends. Advisory locks are the cluster's: other tests' databases hold theirs
    /// at the same time, so only this database's holder is ended.
    /// </summary>
    private async Task TerminateHolderAsync(string which)
    {
        await using var admin = new Npgsql.NpgsqlConnection(_database + ";Pooling=false");
        await admin.OpenAsync();
        await using var kill = new Npgsql.NpgsqlCommand(
            "SELECT pg_terminate_backend(l.pid) FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted "
                + $"AND {which} AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            admin
        );
        Assert.True((bool)(await kill.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task One_servers_judge_grades_a_feature_at_a_time_and_a_dead_holder_lets_go()
    {
        await using var events = DuckDbStore.Open(_events);
        await using var one = PostgresStore.Open(_database, false, () => events);
        await using var two = PostgresStore.Open(_database, false, () => events);
        var held = await one.HoldGradingAsync("replies");
        Assert.NotNull(held);
        // Before, both servers' judges picked and paid for the same outputs.
        Assert.Null(await two.HoldGradingAsync("replies"));
        // Routing is another lock: held grading does not stop it.
        await events.AppendAsync([.. Uncertain(3)], Noon);
        Assert.Equal(3, await two.RouteForReviewAsync("spam", 0.4, 0.6, 0, 0, Noon));

        // The holder's session dies (its process was killed): the lock goes with it, and the other server takes over.
        await TerminateHolderAsync(
            "l.classid::int = hashtext('overlap model grading') AND l.objid::int = hashtext('replies')"
        );
        IAsyncDisposable? taken = null;
        for (var i = 0; i < 100 && taken is null; i++)
        {
            // The server ends the session a moment after it is told to.
            taken = await two.HoldGradingAsync("replies");
            await Task.Delay(taken is null ? 50 : 0);
        }
        Assert.NotNull(taken);
        // The dead holder lets go without an error; the new one holds until it lets go.
        await held.DisposeAsync();
        Assert.Null(await one.HoldGradingAsync("replies"));
        await taken.DisposeAsync();
        var back = await one.HoldGradingAsync("replies");
        Assert.NotNull(back);
        await back.DisposeAsync();
    }

    /// <summary>A day's window of spam (the day of <see cref="Noon"/>, or <paramref name="daysBack"/> before it) held
    /// through <paramref name="server"/>.</summary>
    private static Task<IAsyncDisposable> HoldDayAsync(PostgresStore server, int daysBack = 0, int version = 1) =>
        server.HoldWindowAsync(
            "spam",
            new DateTimeOffset(Noon.Date, TimeSpan.Zero).AddDays(-daysBack),
            TimeSpan.FromDays(1),
            version,
            1000
        );

    [Fact]
    public async Task A_window_one_server_computes_is_waited_for_by_another_and_a_dead_holder_lets_go()
    {
        await using var events = DuckDbStore.Open(_events);
        await using var one = PostgresStore.Open(_database, false, () => events);
        await using var two = PostgresStore.Open(_database, false, () => events);
        var held = await HoldDayAsync(one);
        // Before, the other server computed the same window at once (minutes each at 10,000,000 predictions a day).
        var waiting = HoldDayAsync(two);
        // Another window, or the same one of another contract version, is not held.
        await (await HoldDayAsync(two, daysBack: 1)).DisposeAsync();
        await (await HoldDayAsync(two, version: 2)).DisposeAsync();
        Assert.False(waiting.IsCompleted);

        // The holder's session dies (its process was killed): the lock goes with it, and the waiting server has it.
        await TerminateHolderAsync("l.classid::int = hashtext('overlap window computation')");
        var taken = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        // The dead holder lets go without an error; the new one holds until it lets go.
        await held.DisposeAsync();
        var after = HoldDayAsync(one);
        await Task.Delay(300);
        Assert.False(after.IsCompleted);
        await taken.DisposeAsync();
        await (await after.WaitAsync(TimeSpan.FromSeconds(10))).DisposeAsync();
    }

    [Fact]
    public async Task Requests_of_one_server_for_a_window_another_computes_wait_on_one_connection()
    {
        await using var events = DuckDbStore.Open(_events);
        await using var one = PostgresStore.Open(_database, false, () => events);
        await using var two = PostgresStore.Open(_database, false, () => events);
        var held = await HoldDayAsync(one);
        var pending = Enumerable.Range(0, 8).Select(_ => HoldDayAsync(two)).ToList();
        await Task.Delay(500);
        // Before, each of the eight waited on the lock with a pooled connection of its own.
        Assert.Equal(1, await WindowLockWaitersAsync());

        // Let go, the eight have the window one after the other.
        await held.DisposeAsync();
        while (pending.Count > 0)
        {
            var next = await Task.WhenAny(pending).WaitAsync(TimeSpan.FromSeconds(10));
            pending.Remove(next);
            await Task.Delay(100);
            Assert.DoesNotContain(pending, p => p.IsCompleted);
            await (await next).DisposeAsync();
        }
        Assert.Equal(0, await WindowLockWaitersAsync());
    }

    /// <summary>The sessions of the test's database waiting for a window's lock.</summary>
    private async Task<long> WindowLockWaitersAsync()
    {
        await using var admin = new Npgsql.NpgsqlConnection(_database + ";Pooling=false");
        await admin.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand(
            "SELECT count(*) FROM pg_locks l WHERE l.locktype = 'advisory' AND NOT l.granted "
                + "AND l.classid::int = hashtext('overlap window computation') "
                + "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            admin
        );
        return (long)(await count.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Reviewed_outputs_and_recorded_outcomes_are_what_the_embedded_store_gives()
    {
        var reference = Directory.CreateTempSubdirectory("overlap-pg-review-reference-").FullName;
        try
        {
            await using var events = DuckDbStore.Open(_events);
            await using var postgres = PostgresStore.Open(_database, false, () => events);
            await using var duckDb = DuckDbStore.Open(reference);
            var fromPostgres = await ReviewAsync(events, postgres);
            var fromDuckDb = await ReviewAsync(duckDb, duckDb);

            // o0 graded, o1 disputed, o2 and o5 (never routed) disliked; o3's thumbs_up and o4 are not cases.
            Assert.Equal(
                [
                    ("o0", Noon, """{"q":"0"}""", "reply 0", false, "", 4),
                    ("o1", Noon.AddMinutes(1), """{"q":"1"}""", "reply 1", true, "", -1),
                    ("o2", Noon.AddMinutes(2), """{"q":"2"}""", "reply 2", false, "thumbs_down", -1),
                    ("o5", Noon.AddMinutes(5), """{"q":"5"}""", "reply 5", false, "regenerated thumbs_down", -1),
                ],
                fromPostgres.Outputs.Select(o =>
                    (
                        o.PredictionId,
                        o.PredictionTime,
                        o.Inputs,
                        o.Output,
                        o.Disagreement,
                        string.Join(' ', o.Feedback),
                        o.Grades?["clarity"] ?? -1
                    )
                )
            );
            Assert.Equal(
                fromDuckDb.Outputs.Select(o => (o.PredictionId, o.Disagreement, string.Join(' ', o.Feedback))),
                fromPostgres.Outputs.Select(o => (o.PredictionId, o.Disagreement, string.Join(' ', o.Feedback)))
            );
            // The settling decision on o0 has its outcome stored; o1's (cleo's, after the disagreement) does not.
            Assert.Equal(["o1"], fromPostgres.Unrecorded.Select(d => d.PredictionId));
            Assert.Equal(fromDuckDb.Unrecorded, fromPostgres.Unrecorded);
            Assert.Equal(fromDuckDb.Regressions, fromPostgres.Regressions);
        }
        finally
        {
            Directory.Delete(reference, recursive: true);
        }
    }

    /// <summary>The same review of six outputs, through any event sink and review store.</summary>
    private static async Task<(
        IReadOnlyList<ReviewedOutput> Outputs,
        IReadOnlyList<ReviewDecision> Unrecorded,
        IReadOnlySet<string> Regressions
    )> ReviewAsync(IEventSink sink, IReviewStore reviews)
    {
        PredictionEvent Output(int i) =>
            new()
            {
                Id = $"o{i}",
                Feature = "replies",
                Time = Noon.AddMinutes(i),
                InputsJson = $$"""{"q":"{{i}}"}""",
                Output = $"reply {i}",
            };
        await sink.AppendAsync([.. Enumerable.Range(0, 5).Select(Output)], Noon);
        await reviews.RouteForReviewAsync("replies", double.PositiveInfinity, double.NegativeInfinity, 1, 0, Noon);
        await sink.AppendAsync([Output(5)], Noon.AddMinutes(10));
        var at = Noon.AddHours(1);
        async Task DecideAsync(string id, string reviewer, string label, ReviewStatus next, int? clarity = null)
        {
            at = at.AddMinutes(1);
            await reviews.ClaimReviewItemAsync("replies", id, reviewer, at, at.AddMinutes(10));
            var decision = new ReviewDecision("replies", id, reviewer, "correct", label, null, null, at)
            {
                Final = next == ReviewStatus.Decided,
                Grades = clarity is { } c ? new Dictionary<string, int> { ["clarity"] = c } : null,
            };
            Assert.True(await reviews.DecideReviewItemAsync(decision, next));
            if (id == "o0")
            {
                await sink.AppendAsync(
                    [
                        new OutcomeEvent
                        {
                            Id = decision.OutcomeId,
                            Feature = "replies",
                            PredictionId = id,
                            Label = label,
                            Source = "review",
                            Time = at,
                        },
                    ],
                    at
                );
            }
        }
        await DecideAsync("o0", "ana", "good", ReviewStatus.Decided, clarity: 4);
        await DecideAsync("o1", "ana", "good", ReviewStatus.Second);
        await DecideAsync("o1", "ben", "bad", ReviewStatus.Escalated);
        await DecideAsync("o1", "cleo", "bad", ReviewStatus.Decided);
        FeedbackEvent Feedback(string id, string on, string kind) =>
            new()
            {
                Id = id,
                Feature = "replies",
                PredictionId = on,
                FeedbackKind = kind,
                Time = Noon.AddHours(2),
            };
        await sink.AppendAsync(
            [
                Feedback("f1", "o2", "thumbs_down"),
                Feedback("f2", "o5", "thumbs_down"),
                Feedback("f3", "o5", "regenerated"),
                Feedback("f4", "o5", "thumbs_down"),
                Feedback("f5", "o3", "thumbs_up"),
            ],
            Noon.AddHours(2)
        );
        return (
            await reviews.ReviewedOutputsAsync("replies"),
            await reviews.UnrecordedDecisionsAsync(),
            await reviews.RegressionCaseIdsAsync("replies")
        );
    }

    [Fact]
    public async Task The_judges_picks_resume_after_the_outputs_graded_and_any_server_sees_the_same()
    {
        await using var events = DuckDbStore.Open(_events);
        await using var one = PostgresStore.Open(_database, false, () => events);
        await using var two = PostgresStore.Open(_database, false, () => events);
        await events.AppendAsync(
            [
                .. Enumerable
                    .Range(0, 10)
                    .Select(i => new PredictionEvent
                    {
                        Id = $"o{i}",
                        Feature = "replies",
                        Time = Noon.AddMinutes(i),
                        Output = $"reply {i}",
                    }),
            ],
            Noon
        );
        ModelGrade Grade(string id) =>
            new("replies", id, "clarity", 3, "fine", "gpt-test", 1, 1, 0.01, TimeSpan.Zero, Noon, Noon.AddHours(1));
        async Task<string> PicksAsync(PostgresStore store, double share, int limit) =>
            string.Join(' ', (await store.OutputsToGradeAsync("replies", share, "#judge", limit)).Select(o => o.Id));

        // Every output (share 1), oldest received first (ids in ordinal order); graded ones are left out wherever
        // they are.
        Assert.Equal("o0 o1 o2", await PicksAsync(one, 1, 3));
        await one.AppendModelGradesAsync([Grade("o1"), Grade("o2")]);
        Assert.Equal("o0 o3 o4", await PicksAsync(two, 1, 3));
        await two.AppendModelGradesAsync([Grade("o0"), Grade("o3"), Grade("o4")]);
        Assert.Equal("o5 o6 o7 o8 o9", await PicksAsync(one, 1, 10));
        // A smaller share picks among all the outputs again, by Core's rule on the id and the salt.
        var expected = Enumerable
            .Range(0, 10)
            .Select(i => $"o{i}")
            .Where(id => Core.Sampling.StableSample.Takes(id + "#judge", 0.5))
            .Where(id => id is not ("o0" or "o1" or "o2" or "o3" or "o4"));
        Assert.Equal(string.Join(' ', expected), await PicksAsync(two, 0.5, 10));
        // Once all are graded the picks resume after the last; an output stored a little late (within the
        // look-back) is picked all the same.
        await one.AppendModelGradesAsync([.. new[] { "o5", "o6", "o7", "o8", "o9" }.Select(Grade)]);
        Assert.Equal("", await PicksAsync(one, 1, 10));
        Assert.Equal((Noon, "o9"), JudgePosition());
        await events.AppendAsync(
            [
                new PredictionEvent
                {
                    Id = "late",
                    Feature = "replies",
                    Time = Noon,
                    Output = "late reply",
                },
            ],
            Noon - PostgresStore.RoutingLookBack / 2
        );
        Assert.Equal("late", await PicksAsync(two, 1, 10));
    }
}
