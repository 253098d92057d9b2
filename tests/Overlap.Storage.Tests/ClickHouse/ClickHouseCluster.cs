namespace Overlap.Storage.Tests.ClickHouse;

/// <summary>
/// The tests on the ClickHouse cluster: one collection, so they run one after another on the shared servers (two
/// cores), and the servers this run started are stopped when the last of them is done.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClickHouseCluster : ICollectionFixture<ClickHouseCluster.Servers>
{
    public const string Name = "ClickHouse cluster";

    /// <summary>Stops the servers the run started (none when scripts/test.sh started them) at the collection's
    /// end.</summary>
    public sealed class Servers : IDisposable
    {
        public void Dispose() => ClickHouseServers.StopStarted();
    }
}
