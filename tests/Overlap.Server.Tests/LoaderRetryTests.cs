using Microsoft.Extensions.Logging.Abstractions;
using Overlap.Events;
using Overlap.Server.Ingest;
using Overlap.Storage;
using Overlap.Tests.Shared;

namespace Overlap.Server.Tests;

/// <summary>
/// A load that failed is retried with exactly the same events, even when more arrived meanwhile: a replicated ClickHouse
/// recognises a resent insert block only when it is the same block.
/// </summary>
public sealed class LoaderRetryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("overlap-retry-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The real store, refusing its first append as a store that went away would.</summary>
    private sealed class FailingOnce(IEventSink inner) : IEventSink
    {
        public List<string[]> Appends { get; } = [];

        public TaskCompletionSource Failed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<AppendResult> AppendAsync(
            IReadOnlyList<FeatureEvent> events,
            DateTimeOffset receivedAt,
            CancellationToken cancellationToken = default
        ) => inner.AppendAsync(events, receivedAt, cancellationToken);

        public async Task<AppendResult> AppendFromLogAsync(
            IReadOnlyList<FeatureEvent> events,
            DateTimeOffset received,
            long logPosition,
            CancellationToken cancellationToken = default
        )
        {
            lock (Appends)
            {
                Appends.Add([.. events.Select(e => e.Id)]);
                if (Appends.Count == 1)
                {
                    Failed.TrySetResult();
                    throw new StoreUnavailableException("the store went away for a moment");
                }
            }
            return await inner.AppendFromLogAsync(events, received, logPosition, cancellationToken);
        }

        public Task<long?> GetLogPositionAsync(CancellationToken cancellationToken = default) =>
            inner.GetLogPositionAsync(cancellationToken);
    }

    private static byte[] Ndjson(string prefix, int count)
    {
        var payload = new System.Buffers.ArrayBufferWriter<byte>();
        EventWriter.WriteNdjson(
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
            ],
            payload
        );
        return payload.WrittenSpan.ToArray();
    }

    [Fact]
    public async Task AFailedLoad_IsRetriedWithTheSameEvents_AndWhatArrivedMeanwhileComesNext()
    {
        await using var opened = new TestStore(_folder);
        var sink = new FailingOnce(opened.Get<IEventSink>());
        using var log = EventLog.Open(Path.Combine(_folder, "log"));
        log.Append(Ndjson("a", 30), 0);
        using var loader = new LogLoader(log, sink, new ServerOptions(), NullLogger<LogLoader>.Instance);
        await loader.StartAsync(CancellationToken.None);
        await sink.Failed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        log.Append(Ndjson("b", 20), 0);
        await loader.WaitLoadedAsync(CancellationToken.None);
        await loader.StopAsync(CancellationToken.None);

        var first = Enumerable.Range(0, 30).Select(i => $"a{i}").ToArray();
        Assert.Equal([first, first, [.. Enumerable.Range(0, 20).Select(i => $"b{i}")]], sink.Appends);
        Assert.Equal(50, (await opened.Get<IEventReader>().CountAsync("f")).Predictions);
    }
}
