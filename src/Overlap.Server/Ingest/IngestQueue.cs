using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Overlap.Core.Timestamps;
using Overlap.Events;

namespace Overlap.Server.Ingest;

/// <summary>
/// The bounded queue between the ingest endpoint and the log. Requests wait here for the one writer, which takes
/// every request queued at that moment and appends them to the <see cref="EventLog"/> as one fsynced frame (group
/// commit), then answers each. A full queue refuses at once (the endpoint answers 429) rather than piling up memory.
/// </summary>
internal sealed partial class IngestQueue(
    ServerOptions options,
    EventLog log,
    LogLoader loader,
    ILogger<IngestQueue> logger
) : BackgroundService
{
    /// <summary>The most events one transaction takes.</summary>
    private const int MaxEventsPerCommit = 50_000;

    private readonly Channel<Pending> _channel = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(options.IngestQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        }
    );

    /// <summary>Queues events; null when the queue is full. The task completes once they are durable, or faults when storing failed.</summary>
    public Task? TryEnqueue(IReadOnlyList<FeatureEvent> events)
    {
        var pending = new Pending(events, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return _channel.Writer.TryWrite(pending) ? pending.Done.Task : null;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var group = new List<Pending>();
        var events = new List<FeatureEvent>();
        // Drained to the end even when stopping: a request in the queue has not been answered yet.
        while (await _channel.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            group.Clear();
            events.Clear();
            while (events.Count < MaxEventsPerCommit && _channel.Reader.TryRead(out var next))
            {
                group.Add(next);
                events.AddRange(next.Events);
            }
            try
            {
                // Durable once in the log (fsynced); the loader moves it into the store in the background.
                var payload = new ArrayBufferWriter<byte>();
                EventWriter.WriteNdjson(events, payload);
                log.Append(payload.WrittenSpan, UnixMicroseconds.From(options.Time.GetUtcNow()));
                loader.Notify();
                foreach (var p in group)
                {
                    p.Done.SetResult();
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogStoreFailed(logger, e, events.Count);
                var failed = new StoreFailedException(e);
                foreach (var p in group)
                {
                    p.Done.SetException(failed);
                }
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _channel.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing {Count} events failed; none of them was acknowledged")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, int count);

    private sealed record Pending(IReadOnlyList<FeatureEvent> Events, TaskCompletionSource Done);
}
