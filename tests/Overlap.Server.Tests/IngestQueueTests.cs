using Microsoft.Extensions.Logging.Abstractions;
using Overlap.Events;
using Overlap.Server.Ingest;
using Overlap.Storage;
using Overlap.Tests.Shared;

namespace Overlap.Server.Tests;

/// <summary>The write queue: bounded (a full queue refuses at once, which the endpoint answers 429), drained in one commit.</summary>
public sealed class IngestQueueTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("overlap-queue-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static PredictionEvent[] Events(string prefix, int count) =>
        [
            .. Enumerable
                .Range(0, count)
                .Select(i => new PredictionEvent
                {
                    Id = $"{prefix}{i}",
                    Time = DateTimeOffset.UnixEpoch,
                    Feature = "f",
                    Score = 0.5,
                }),
        ];

    [Fact]
    public async Task FullQueue_RefusesAtOnce_QueuedBatchesAreStoredOnceTheWriterRuns()
    {
        await using var opened = new TestStore(_folder);
        var store = opened.Get<IEventReader>();
        var sink = opened.Get<IEventSink>();
        using var log = EventLog.Open(Path.Combine(_folder, "log"));
        using var loader = new LogLoader(log, sink, new ServerOptions(), NullLogger<LogLoader>.Instance);
        await loader.StartAsync(CancellationToken.None);
        using var queue = new IngestQueue(
            new ServerOptions { IngestQueueCapacity = 2 },
            log,
            loader,
            NullLogger<IngestQueue>.Instance
        );
        var first = queue.TryEnqueue(Events("a", 10));
        var second = queue.TryEnqueue(Events("b", 5));
        Assert.NotNull(first);
        Assert.NotNull(second);
        // The writer is not running yet, so the queue is full: the third batch is refused, not waited for.
        Assert.Null(queue.TryEnqueue(Events("c", 1)));
        Assert.False(first.IsCompleted);

        await queue.StartAsync(CancellationToken.None);
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(30));
        await loader.WaitLoadedAsync(CancellationToken.None);
        Assert.Equal(15, (await store.CountAsync("f")).Predictions);
        Assert.NotNull(queue.TryEnqueue(Events("d", 1)));
        await queue.StopAsync(CancellationToken.None);
        await loader.StopAsync(CancellationToken.None);
        Assert.Equal(16, (await store.CountAsync("f")).Predictions);
    }

    [Fact]
    public async Task LogFailure_FailsTheWaitingBatches_AndAcknowledgesNothing()
    {
        await using var opened = new TestStore(_folder);
        var sink = opened.Get<IEventSink>();
        var log = EventLog.Open(Path.Combine(_folder, "log"));
        using var loader = new LogLoader(log, sink, new ServerOptions(), NullLogger<LogLoader>.Instance);
        using var queue = new IngestQueue(new ServerOptions(), log, loader, NullLogger<IngestQueue>.Instance);
        log.Dispose();
        await queue.StartAsync(CancellationToken.None);
        var batch = queue.TryEnqueue(Events("x", 3));
        await Assert.ThrowsAsync<StoreFailedException>(() => batch!.WaitAsync(TimeSpan.FromSeconds(30)));
        await queue.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Log_TornLastFrame_IsCutOff_AndLoadingResumesWhereTheStoreLeftOff()
    {
        var folder = Path.Combine(_folder, "log");
        await using var opened = new TestStore(_folder);
        var store = opened.Get<IEventReader>();
        var sink = opened.Get<IEventSink>();
        using (var log = EventLog.Open(folder, segmentBytes: 4096))
        {
            // Enough frames to span several small segments; the store loads the first half only.
            for (var i = 0; i < 40; i++)
            {
                var payload = new System.Buffers.ArrayBufferWriter<byte>();
                EventWriter.WriteNdjson(Events($"f{i}-", 5), payload);
                var end = log.Append(payload.WrittenSpan, 0);
                if (i == 19)
                {
                    await sink.AppendFromLogAsync(
                        [
                            .. log.Read(log.Start, end)
                                .SelectMany(f => EventParser.Parse(f.Payload).Events.Select(e => e.Event)),
                        ],
                        DateTimeOffset.UnixEpoch,
                        end
                    );
                }
            }
        }
        // A crash in the middle of an append leaves half a frame at the end of the last segment.
        var last = Directory.EnumerateFiles(folder).Order().Last();
        await File.AppendAllBytesAsync(last, [0x4F, 0x56, 0x4C, 0x31, 200, 0, 0, 0, 1, 2, 3]);
        using var reopened = EventLog.Open(folder, segmentBytes: 4096);
        using var loader = new LogLoader(reopened, sink, new ServerOptions(), NullLogger<LogLoader>.Instance);
        await loader.StartAsync(CancellationToken.None);
        await loader.WaitLoadedAsync(CancellationToken.None);
        Assert.Equal(200, (await store.CountAsync("f")).Predictions);
        await loader.StopAsync(CancellationToken.None);
        Assert.Single(Directory.EnumerateFiles(folder));
    }
}
