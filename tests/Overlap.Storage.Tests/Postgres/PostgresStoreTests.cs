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
}
