namespace Overlap.Storage.Tests.Conformance;

/// <summary>
/// A closed window held while it is computed: a second computation of the same window waits until the first lets go,
/// a wait that is cancelled (its request went away) ends without a hold, and letting go twice is harmless.
/// </summary>
public abstract class WindowHoldConformance<TBackend> : StoreConformance<TBackend>
    where TBackend : IConformanceBackend, new()
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public async Task One_computation_holds_a_window_at_a_time()
    {
        await using var store = Open();
        var held = await store.Reports.HoldWindowAsync("spam", Midnight, Day, 1, 1000);
        var waiting = store.Reports.HoldWindowAsync("spam", Midnight, Day, 1, 1000);
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted, "a second hold of the same window was given while the first was held");

        // A wait cancelled while the window is held ends without a hold.
        using (var gone = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                store.Reports.HoldWindowAsync("spam", Midnight, Day, 1, 1000, gone.Token)
            );
        }

        // Let go, the window goes to the one that waited (and to nobody else while that one holds it).
        await held.DisposeAsync();
        var next = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        var third = store.Reports.HoldWindowAsync("spam", Midnight, Day, 1, 1000);
        await Task.Delay(300);
        Assert.False(third.IsCompleted, "the window was given to two holders at once");
        await held.DisposeAsync();
        await Task.Delay(200);
        Assert.False(third.IsCompleted, "letting go twice gave the window away");
        await next.DisposeAsync();
        await (await third.WaitAsync(TimeSpan.FromSeconds(10))).DisposeAsync();
    }
}
