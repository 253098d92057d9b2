using Overlap.Storage.DuckDb;

namespace Overlap.Storage.Tests.DuckDb;

/// <summary>
/// The embedded store's window holds are one gate per window: different windows are never computed one after the
/// other because their keys met, and the gates go away once nobody holds or waits for them.
/// </summary>
public sealed class WindowGateTests : IDisposable
{
    private static readonly DateTimeOffset Midnight = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("overlap-window-gates-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task SixtyFiveWindows_AreHeldAtOnce_AndTheGatesAreGoneAfter()
    {
        await using var store = DuckDbStore.Open(_folder);
        // Before, windows shared 64 gates by the hash of their keys: of 65, two shared one, and the second waited.
        var holds = new List<IAsyncDisposable>();
        for (var day = 0; day < 65; day++)
        {
            holds.Add(
                await store
                    .HoldWindowAsync("spam", Midnight.AddDays(-day), TimeSpan.FromDays(1), 1, 1000)
                    .WaitAsync(TimeSpan.FromSeconds(10))
            );
        }
        var waiting = store.HoldWindowAsync("spam", Midnight, TimeSpan.FromDays(1), 1, 1000);
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted, "a held window was given again");
        foreach (var hold in holds)
        {
            await hold.DisposeAsync();
        }
        await (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).DisposeAsync();
        Assert.Equal(0, store.HeldWindows);
    }
}
