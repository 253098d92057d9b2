using DuckDB.NET.Data;
using Overlap.Storage.DuckDb;

namespace Overlap.Storage.Tests.DuckDb;

/// <summary>A DuckDB store made before keys had expiry, last use and revocation opens, and its keys never expire.</summary>
public sealed class DuckDbAccessMigrationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("overlap-access-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task AStoreFromBeforeKeysExpired_Opens_AndItsKeysNeverExpire()
    {
        // The api_keys table as it was before expiry, last use and revocation.
        await using (var old = new DuckDBConnection($"Data Source={Path.Combine(_folder, DuckDbStore.FileName)}"))
        {
            await old.OpenAsync();
            using var command = old.CreateCommand();
            command.CommandText = """
                CREATE TABLE api_keys (id VARCHAR PRIMARY KEY, hash VARCHAR NOT NULL UNIQUE, role VARCHAR NOT NULL, name VARCHAR NOT NULL, created_at_us BIGINT NOT NULL);
                INSERT INTO api_keys VALUES ('k1', 'h1', 'viewer', 'old key', 0);
                """;
            await command.ExecuteNonQueryAsync();
        }
        await using var store = DuckDbStore.Open(_folder);
        Assert.Equal(
            new ApiKeyRecord("k1", "h1", KeyRole.Viewer, "old key", DateTimeOffset.UnixEpoch),
            await store.FindKeyAsync("h1")
        );
    }
}
