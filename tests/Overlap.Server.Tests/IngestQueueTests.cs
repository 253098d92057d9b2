using Microsoft.Extensions.Logging.Abstractions;
using Overlap.Core.Events;
using Overlap.Server.Ingest;
using Overlap.Storage;

namespace Overlap.Server.Tests;

/// <summary>The write queue: bounded (a full queue refuses at once, which the endpoint answers 429), drained in one commit.</summary>
public sealed class IngestQueueTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("overlap-queue-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static PredictionEvent[] Events(string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new PredictionEvent { Id = $"{prefix}{i}", Time = DateTimeOffset.UnixEpoch, Feature = "f", Score = 0.5 })];

    [Fact]
    public async Task FullQueue_RefusesAtOnce_QueuedBatchesAreStoredOnceTheWriterRuns()
    {
        await using var store = await DuckDbEventStore.OpenAsync(_folder);
        using var queue = new IngestQueue(new ServerOptions { IngestQueueCapacity = 2 }, store, NullLogger<IngestQueue>.Instance);
        var first = queue.TryEnqueue(Events("a", 10));
        var second = queue.TryEnqueue(Events("b", 5));
        Assert.NotNull(first);
        Assert.NotNull(second);
        // The writer is not running yet, so the queue is full: the third batch is refused, not waited for.
        Assert.Null(queue.TryEnqueue(Events("c", 1)));
        Assert.False(first.IsCompleted);

        await queue.StartAsync(CancellationToken.None);
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(15, (await store.CountAsync("f")).Predictions);
        Assert.NotNull(queue.TryEnqueue(Events("d", 1)));
        await queue.StopAsync(CancellationToken.None);
        Assert.Equal(16, (await store.CountAsync("f")).Predictions);
    }

    [Fact]
    public async Task StoreFailure_FailsTheWaitingBatches_AndKeepsNothingAcknowledged()
    {
        var store = await DuckDbEventStore.OpenAsync(_folder);
        using var queue = new IngestQueue(new ServerOptions(), store, NullLogger<IngestQueue>.Instance);
        await store.DisposeAsync();
        await queue.StartAsync(CancellationToken.None);
        var batch = queue.TryEnqueue(Events("x", 3));
        await Assert.ThrowsAsync<StoreFailedException>(() => batch!.WaitAsync(TimeSpan.FromSeconds(30)));
        await queue.StopAsync(CancellationToken.None);
    }
}
