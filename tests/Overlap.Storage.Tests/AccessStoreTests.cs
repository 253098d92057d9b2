using DuckDB.NET.Data;

namespace Overlap.Storage.Tests;

/// <summary>Keys' expiry, revocation and last use, and sessions, on a real DuckDB file.</summary>
public sealed class AccessStoreTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("overlap-access-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task AStoreFromBeforeKeysExpired_Opens_AndItsKeysNeverExpire()
    {
        // The api_keys table as it was before expiry, last use and revocation.
        await using (var old = new DuckDBConnection($"Data Source={Path.Combine(_folder, DuckDbEventStore.FileName)}"))
        {
            await old.OpenAsync();
            using var command = old.CreateCommand();
            command.CommandText = """
                CREATE TABLE api_keys (id VARCHAR PRIMARY KEY, hash VARCHAR NOT NULL UNIQUE, role VARCHAR NOT NULL, name VARCHAR NOT NULL, created_at_us BIGINT NOT NULL);
                INSERT INTO api_keys VALUES ('k1', 'h1', 'viewer', 'old key', 0);
                """;
            await command.ExecuteNonQueryAsync();
        }
        await using var store = await DuckDbEventStore.OpenAsync(_folder);
        Assert.Equal(new ApiKeyRecord("k1", "h1", KeyRole.Viewer, "old key", DateTimeOffset.UnixEpoch), await store.FindKeyAsync("h1"));
    }

    [Fact]
    public async Task RevokeKey_StampsItOnce_EndsItsSessions_AndTouchNeverMovesLastUseBack()
    {
        await using var store = await DuckDbEventStore.OpenAsync(_folder);
        await store.AddKeyAsync(new ApiKeyRecord("k1", "h1", KeyRole.Admin, "ana", Noon, Noon.AddDays(90)));
        await store.TouchKeyAsync("k1", Noon.AddMinutes(5));
        await store.TouchKeyAsync("k1", Noon.AddMinutes(1));
        await store.AddSessionAsync(new SessionRecord("s1", SessionRecord.KeySubject("k1"), Noon, Noon.AddHours(8), null, [1, 2, 3]));
        await store.AddSessionAsync(new SessionRecord("s2", SessionRecord.UserSubject("Ana"), Noon, Noon.AddHours(8), null, [4]));
        Assert.True(await store.RevokeKeyAsync("k1", Noon.AddHours(1)));
        Assert.False(await store.RevokeKeyAsync("k1", Noon.AddHours(2)));
        Assert.False(await store.RevokeKeyAsync("nope", Noon));
        var key = Assert.Single(await store.ListKeysAsync());
        Assert.Equal((Noon.AddDays(90), Noon.AddMinutes(5), Noon.AddHours(1)), (key.ExpiresAt, key.LastUsedAt, key.RevokedAt));
        Assert.Equal(Noon.AddHours(1), (await store.FindSessionAsync("s1"))!.RevokedAt);
        var other = (await store.FindSessionAsync("s2"))!;
        Assert.Equal(("user:ana", (DateTimeOffset?)null), (other.Subject, other.RevokedAt));
        Assert.Equal([4], other.Ticket);
    }

    [Fact]
    public async Task Sessions_AreRenewedAndRevoked_AndOnesLongOverAreDropped()
    {
        await using var store = await DuckDbEventStore.OpenAsync(_folder);
        await store.AddSessionAsync(new SessionRecord("old", "user:ben", Noon.AddDays(-3), Noon.AddDays(-2), null, [0]));
        await store.AddSessionAsync(new SessionRecord("s1", "user:ana", Noon, Noon.AddHours(8), null, [1]));
        await store.RenewSessionAsync("s1", Noon.AddHours(12), [2]);
        var renewed = (await store.FindSessionAsync("s1"))!;
        Assert.Equal(Noon.AddHours(12), renewed.ExpiresAt);
        Assert.Equal([2], renewed.Ticket);
        await store.RevokeSessionAsync("s1", Noon.AddHours(1));
        Assert.Equal(Noon.AddHours(1), (await store.FindSessionAsync("s1"))!.RevokedAt);
        Assert.Null(await store.FindSessionAsync("old"));
    }
}
