using System.Net;
using System.Net.Sockets;
using Npgsql;
using Overlap.Events;
using Overlap.Storage.DuckDb;
using Overlap.Storage.Postgres;
using Overlap.Tests.Shared;

namespace Overlap.Storage.Tests.Postgres;

/// <summary>
/// What only the PostgreSQL store has: migrations at open, the lock that lets instances start together, the words of
/// a server it cannot use, and window reports judged current by the event store beside it (here a real DuckDB store).
/// </summary>
public sealed class PostgresStoreTests : IDisposable
{
    private static readonly DateTimeOffset Midnight = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
    private readonly string _database = PostgresServer.CreateDatabase();
    private readonly string _events = Directory.CreateTempSubdirectory("overlap-pg-events-").FullName;

    public void Dispose()
    {
        PostgresServer.DropDatabase(_database);
        Directory.Delete(_events, recursive: true);
    }

    private static StorageOptions Options(string connectionString, bool mustExist = false) =>
        new()
        {
            Backend = StorageBackend.Server,
            Location = Path.GetTempPath(),
            Postgres = connectionString,
            MustExist = mustExist,
        };

    private List<(int Version, DateTimeOffset At)> Applied()
    {
        using var connection = new NpgsqlConnection(_database + ";Pooling=false");
        connection.Open();
        using var command = new NpgsqlCommand(
            "SELECT version, applied_at FROM schema_migrations ORDER BY version",
            connection
        );
        using var reader = command.ExecuteReader();
        var rows = new List<(int, DateTimeOffset)>();
        while (reader.Read())
        {
            rows.Add((reader.GetInt32(0), reader.GetFieldValue<DateTimeOffset>(1)));
        }
        return rows;
    }

    [Fact]
    public async Task ThePrivacyKey_IsStoredByTheFirstInstance_AndEveryInstanceGetsThatOne()
    {
        // Six instances asking at once, each with its own candidate: one is stored, and all six get it.
        var stores = Enumerable.Range(0, 6).Select(_ => new TestStore(Options(_database))).ToList();
        try
        {
            var keys = await Task.WhenAll(
                stores.Select((s, i) => s.Get<IPrivacyKeyStore>().PrivacyKeyAsync($"candidate-{i}"))
            );
            Assert.Single(keys.Distinct());
            Assert.Matches("^candidate-[0-5]$", keys[0]);
            // Asked again, later, with another candidate: the stored one.
            Assert.Equal(keys[0], await stores[0].Get<IPrivacyKeyStore>().PrivacyKeyAsync("later"));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Open_AnEmptyDatabase_AppliesEveryMigrationOnce_AndOpeningAgainChangesNothing()
    {
        await using (var store = new TestStore(Options(_database)))
        {
            await store.Get<IContractStore>().PutContractAsync("fraud", "feature: fraud", "ana", Midnight);
        }
        var first = Applied();
        Assert.Equal(Enumerable.Range(1, PostgresSchema.Latest), first.Select(m => m.Version));

        await using (var again = new TestStore(Options(_database)))
        {
            var contract = await again.Get<IContractStore>().GetContractAsync("fraud");
            Assert.Equal((1, "feature: fraud"), (contract!.Version, contract.Yaml));
        }
        Assert.Equal(first, Applied());
    }

    [Fact]
    public async Task Open_ByFourInstancesAtOnce_MigratesTheNewDatabaseOnce()
    {
        // Without the advisory lock, instances racing on a new database fail to create the same tables.
        var stores = await Task.WhenAll(
            Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgresStore.Open(_database, false, () => null)))
        );
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
        Assert.Equal(Enumerable.Range(1, PostgresSchema.Latest), Applied().Select(m => m.Version));
    }

    [Fact]
    public async Task PutContract_FromTwoInstancesAtOnce_GivesEverySaveItsOwnVersion()
    {
        await using var one = PostgresStore.Open(_database, false, () => null);
        await using var two = PostgresStore.Open(_database, false, () => null);
        var saved = await Task.WhenAll(
            Enumerable
                .Range(0, 12)
                .Select(i => (i % 2 == 0 ? one : two).PutContractAsync("fraud", $"v{i}", "ana", Midnight))
        );
        Assert.Equal(Enumerable.Range(1, 12), saved.Select(c => c.Version).Order());
        var stored = await one.ListContractVersionsAsync("fraud");
        Assert.Equal(saved.OrderBy(c => c.Version).Select(c => c.Yaml), stored.Select(c => c.Yaml));
    }

    [Fact]
    public async Task Open_AStoreMadeByANewerOverlap_IsRefusedWithTheVersions()
    {
        await using (PostgresStore.Open(_database, false, () => null)) { }
        using (var connection = new NpgsqlConnection(_database + ";Pooling=false"))
        {
            connection.Open();
            using var command = new NpgsqlCommand(
                "INSERT INTO schema_migrations (version, description) VALUES (999, 'from the future')",
                connection
            );
            command.ExecuteNonQuery();
        }
        var e = Assert.Throws<StoreUnavailableException>(() => PostgresStore.Open(_database, false, () => null));
        Assert.Contains($"is at schema version 999, made by a newer Overlap", e.Message, StringComparison.Ordinal);
        Assert.Contains($"knows up to {PostgresSchema.Latest}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_WhenNoServerListens_SaysWhereItLookedAndWhatToCheck()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var store = new TestStore(
            Options($"Host=127.0.0.1;Port={port};Username=postgres;Database=overlap;Timeout=5")
        );
        var e = Assert.Throws<StoreUnavailableException>(() => store.Get<IContractStore>());
        Assert.StartsWith(
            $"cannot reach PostgreSQL at 127.0.0.1:{port}/overlap (",
            e.Message,
            StringComparison.Ordinal
        );
        Assert.EndsWith(
            "check that the server is running and that --postgres names its host and port",
            e.Message,
            StringComparison.Ordinal
        );
        Assert.False(e.Missing);
    }

    [Fact]
    public async Task Open_ADatabaseThatIsNotThere_OrWithoutAStoreWhenOneMustExist_SaysSo()
    {
        var absent = new NpgsqlConnectionStringBuilder(_database) { Database = "overlap_no_such_database" };
        await using (var store = new TestStore(Options(absent.ConnectionString)))
        {
            var e = Assert.Throws<StoreUnavailableException>(() => store.Get<IUserStore>());
            Assert.Contains("has no such database", e.Message, StringComparison.Ordinal);
            Assert.Contains("overlap_no_such_database", e.Message, StringComparison.Ordinal);
        }
        await using (var store = new TestStore(Options(_database, mustExist: true)))
        {
            var e = Assert.Throws<StoreUnavailableException>(() => store.Get<IUserStore>());
            Assert.True(e.Missing);
            Assert.StartsWith(
                "there is no Overlap store in the PostgreSQL database",
                e.Message,
                StringComparison.Ordinal
            );
        }
        await using (var store = new TestStore(Options("Host=127.0.0.1;Colour=blue")))
        {
            var e = Assert.Throws<StoreUnavailableException>(() => store.Get<IUserStore>());
            Assert.StartsWith("the PostgreSQL connection string is not valid (", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_call_after_the_database_went_away_is_StoreUnavailable_with_words()
    {
        await using var store = new TestStore(Options(_database));
        var contracts = store.Get<IContractStore>();
        await contracts.PutContractAsync("fraud", "feature: fraud", "ana", Midnight);
        PostgresServer.DropDatabase(_database);
        // The pooled connection was ended by the server; the next one finds no database.
        var ended = await Assert.ThrowsAsync<StoreUnavailableException>(() => contracts.ListFeaturesAsync());
        Assert.StartsWith($"PostgreSQL at 127.0.0.1:", ended.Message, StringComparison.Ordinal);
        Assert.Contains(
            "ended the connection (terminating connection due to administrator command)",
            ended.Message,
            StringComparison.Ordinal
        );
        var gone = await Assert.ThrowsAsync<StoreUnavailableException>(() => contracts.ListFeaturesAsync());
        Assert.Contains("has no such database", gone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WindowStamps_AreCurrentUntilTheEventStoreChangesAnHourOfTheirWindow()
    {
        var day = TimeSpan.FromDays(1);
        await using var events = DuckDbStore.Open(_events);
        await using var store = PostgresStore.Open(_database, false, () => events);
        // One prediction on each of 30 days, a report stored for each day at the change number after them.
        await events.AppendAsync(
            [
                .. Enumerable
                    .Range(0, 30)
                    .Select(d => new PredictionEvent
                    {
                        Id = $"p{d}",
                        Feature = "fraud",
                        Time = Midnight.AddDays(d).AddHours(9),
                        Score = 0.4,
                    }),
            ],
            Midnight.AddDays(30)
        );
        var asOf = await events.CurrentChangeAsync("fraud");
        for (var d = 0; d < 30; d++)
        {
            await store.SaveWindowReportAsync(
                "fraud",
                Midnight.AddDays(d),
                day,
                1,
                0,
                asOf,
                Midnight.AddDays(30).AddMinutes(d),
                $$"""{"day":{{d}}}""",
                [(byte)d]
            );
        }
        var all = await store.CurrentWindowStampsAsync("fraud", Midnight, Midnight.AddDays(30), day, 1, 0);
        Assert.Equal(30, all.Count);
        Assert.Equal(
            Core.Timestamps.UnixMicroseconds.From(Midnight.AddDays(30).AddMinutes(7)),
            all[Midnight.AddDays(7)]
        );

        // Labels for the predictions of days 3 and 17, and a late prediction on day 29: those windows are stale.
        await events.AppendAsync(
            [
                new OutcomeEvent
                {
                    Id = "o3",
                    PredictionId = "p3",
                    Feature = "fraud",
                    Label = "1",
                    Time = Midnight.AddDays(31),
                },
                new OutcomeEvent
                {
                    Id = "o17",
                    PredictionId = "p17",
                    Feature = "fraud",
                    Label = "0",
                    Time = Midnight.AddDays(31),
                },
                new PredictionEvent
                {
                    Id = "late",
                    Feature = "fraud",
                    Time = Midnight.AddDays(29).AddHours(23),
                    Score = 0.9,
                },
            ],
            Midnight.AddDays(31)
        );
        var current = await store.CurrentWindowStampsAsync("fraud", Midnight, Midnight.AddDays(30), day, 1, 0);
        Assert.Equal(
            Enumerable.Range(0, 29).Where(d => d is not 3 and not 17).Select(d => Midnight.AddDays(d)),
            current.Keys.Order()
        );
        // Another contract version, window or resample count has no stored reports; the range bounds the starts.
        Assert.Empty(await store.CurrentWindowStampsAsync("fraud", Midnight, Midnight.AddDays(30), day, 2, 0));
        Assert.Empty(
            await store.CurrentWindowStampsAsync("fraud", Midnight, Midnight.AddDays(30), TimeSpan.FromHours(1), 1, 0)
        );
        Assert.Equal(
            [Midnight.AddDays(4)],
            (await store.CurrentWindowStampsAsync("fraud", Midnight.AddDays(3), Midnight.AddDays(5), day, 1, 0)).Keys
        );
        // The stored report and summary come back as written, summaries only when asked for.
        var stored = await store.WindowReportsAsync("fraud", [Midnight.AddDays(3)], day, 1, 0, summaries: true);
        Assert.Equal("""{"day":3}""", stored[Midnight.AddDays(3)].Report);
        Assert.Equal([3], stored[Midnight.AddDays(3)].Summary!);
        var plain = await store.WindowReportsAsync("fraud", [Midnight.AddDays(3)], day, 1, 0, summaries: false);
        Assert.Null(plain[Midnight.AddDays(3)].Summary);
    }

    [Fact]
    public async Task ModelGrades_AppendedByTwoInstancesAtOnce_KeepOneGradePerOutputAndCriterion()
    {
        await using var one = PostgresStore.Open(_database, false, () => null);
        await using var two = PostgresStore.Open(_database, false, () => null);
        ModelGrade Grade(int output, int grade, double? cost, DateTimeOffset gradedAt) =>
            new(
                "replies",
                $"o{output}",
                "clarity",
                grade,
                "fine",
                "gpt-test",
                120,
                8,
                cost,
                TimeSpan.FromMilliseconds(1234.567),
                Midnight.AddHours(output),
                gradedAt
            );
        // Both instances grade outputs 0 to 9 (one with cost 0.01, the other 0.02), and the late evening of the day
        // before is spent on another output; a cost that is not a number is kept as unknown.
        var late = Midnight.AddMinutes(-1);
        await Task.WhenAll(
            one.AppendModelGradesAsync([
                .. Enumerable.Range(0, 10).Select(i => Grade(i, 4, 0.01, Midnight.AddHours(1))),
            ]),
            two.AppendModelGradesAsync([
                .. Enumerable.Range(0, 10).Select(i => Grade(i, 2, 0.02, Midnight.AddHours(1))),
            ]),
            one.AppendModelGradesAsync([Grade(20, 3, 0.5, late), Grade(21, 3, double.NaN, Midnight.AddHours(2))])
        );
        var grades = await two.ModelGradesAsync("replies", Midnight, Midnight.AddHours(10));
        Assert.Equal(10, grades.Count);
        Assert.Equal(
            [.. Enumerable.Range(0, 10).Select(i => $"o{i}").Order(StringComparer.Ordinal)],
            grades.Select(g => g.OutputId)
        );
        // Whichever instance came first, all ten are its grades, at its cost.
        var first = grades[0].Grade;
        Assert.All(grades, g => Assert.Equal((first, first == 4 ? 0.01 : 0.02), (g.Grade, g.Cost!.Value)));
        Assert.Equal(TimeSpan.FromMilliseconds(1234.567), grades[0].Latency);
        Assert.Equal(first == 4 ? 0.1 : 0.2, await one.ModelSpendAsync("replies", Midnight.AddHours(23)), 12);
        Assert.Equal(0.5, await one.ModelSpendAsync("replies", late), 12);
        var unknown = Assert.Single(
            await one.ModelGradesAsync("replies", Midnight.AddHours(21), Midnight.AddHours(22))
        );
        Assert.Null(unknown.Cost);
        Assert.Equal(new HashSet<string> { "o3", "o21" }, await two.ModelGradedAsync("replies", ["o3", "o21", "o99"]));
        Assert.Empty(await two.ModelGradedAsync("other", ["o3"]));
    }

    [Fact]
    public async Task SaveCalibration_ReplacesTheFeaturesOne_AndDropsOnlyItsWindowReports()
    {
        await using var store = PostgresStore.Open(_database, false, () => null);
        var day = TimeSpan.FromDays(1);
        foreach (var feature in (string[])["fraud", "spam"])
        {
            await store.SaveWindowReportAsync(feature, Midnight, day, 1, 200, 5, Midnight, "{}", null);
        }
        var first = new CalibrationRecord("fraud", Midnight.AddDays(-9), Midnight, 500, "ana", Midnight);
        await store.SaveCalibrationAsync(first);
        await store.SaveCalibrationAsync(first with { Rows = 900, FittedBy = "ben" });
        Assert.Equal(first with { Rows = 900, FittedBy = "ben" }, await store.GetCalibrationAsync("fraud"));
        Assert.Empty(await store.WindowReportsAsync("fraud", [Midnight], day, 1, 200, summaries: false));
        Assert.Single(await store.WindowReportsAsync("spam", [Midnight], day, 1, 200, summaries: false));
    }
}
