using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Overlap.Core.Timestamps;
using Overlap.Events;
using Overlap.Storage;

namespace Overlap.Server.Ingest;

/// <summary>
/// Moves acknowledged batches from the <see cref="EventLog"/> into the store, in large transactions that also record
/// how far the log has been loaded (so a restart resumes exactly there). Reads that must see every acknowledged event
/// wait for it first (<see cref="CatchUpAsync"/>, bounded); fully loaded segments are deleted.
/// </summary>
internal sealed partial class LogLoader(
    EventLog log,
    IEventSink store,
    ServerOptions options,
    ILogger<LogLoader> logger
) : BackgroundService
{
    /// <summary>The most events one load transaction takes.</summary>
    private const int MaxEventsPerLoad = 100_000;

    /// <summary>
    /// The most bytes of the log one load reads (whole frames; one larger frame is read alone): generative events carry
    /// prompts and outputs, so a load of <see cref="MaxEventsPerLoad"/> of them could otherwise hold gigabytes.
    /// </summary>
    private const long MaxBytesPerLoad = 16 * 1024 * 1024;

    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly Lock _gate = new();
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _loaded = -1;

    /// <summary>
    /// Where a load that failed stopped (−1 when none did): the retry loads exactly the same frames, so the event store
    /// receives the same insert blocks and a replicated ClickHouse drops the copy by their hash (frames that arrived
    /// since wait for the next load).
    /// </summary>
    private long _retryEnd = -1;

    /// <summary>When the loader last moved on or found nothing to load (ticks of <see cref="ServerOptions.Time"/>).</summary>
    private long _progressAt = options.Time.GetUtcNow().UtcTicks;

    /// <summary>How long acknowledged events may wait for the loader before <c>/healthz</c> calls it stuck.</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Why the loader is stuck, or null: acknowledged events are in the log and it has neither loaded any nor been idle
    /// for more than <see cref="StuckAfter"/> (a store that refuses writes, a loader that stopped).
    /// </summary>
    public string? Stuck()
    {
        var waiting = log.DurableEnd - Interlocked.Read(ref _loaded);
        var since = options.Time.GetUtcNow() - new DateTimeOffset(Interlocked.Read(ref _progressAt), TimeSpan.Zero);
        return waiting > 0 && since > StuckAfter
            ? string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"the loader has moved no acknowledged event into the store for {since.TotalSeconds:0} s ({waiting} bytes of the ingest log wait); the server log says why"
            )
            : null;
    }

    /// <summary>
    /// Bytes of acknowledged events in the ingest log that are not in the store yet: 0 when the loader has caught up.
    /// Cheap to ask (two positions), unlike counting the stored events.
    /// </summary>
    public long WaitingBytes()
    {
        var loaded = Interlocked.Read(ref _loaded);
        return Math.Max(0, log.DurableEnd - (loaded < 0 ? log.Start : loaded));
    }

    /// <summary>Says new frames are in the log.</summary>
    public void Notify() => _wake.Release();

    /// <summary>How long a read waits for the loader to catch up before it answers with what is loaded.</summary>
    public static readonly TimeSpan ReadWait = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Waits, at most <see cref="ReadWait"/>, until everything acknowledged before the call is in the store; false when
    /// the loader is still behind (a backlog after a burst), and the read then shows what is loaded so far.
    /// </summary>
    public async Task<bool> CatchUpAsync(CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(ReadWait);
        try
        {
            await WaitLoadedAsync(limit.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Waits until everything acknowledged before the call is in the store.</summary>
    public async Task WaitLoadedAsync(CancellationToken cancellationToken)
    {
        var target = log.DurableEnd;
        while (true)
        {
            Task progress;
            lock (_gate)
            {
                if (Interlocked.Read(ref _loaded) >= target)
                {
                    return;
                }
                progress = _progress.Task;
            }
            Notify();
            await progress.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (Interlocked.Read(ref _loaded) < 0)
                {
                    // Where loading resumes; a store that cannot answer yet is asked again at the next wake.
                    Interlocked.Exchange(
                        ref _loaded,
                        await store.GetLogPositionAsync(stoppingToken).ConfigureAwait(false) ?? log.Start
                    );
                }
                while (await LoadOnceAsync(CancellationToken.None).ConfigureAwait(false)) { }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The events stay in the log; the next wake tries again.
                LogLoadFailed(logger, e);
            }
            try
            {
                await _wake.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        // Load what the ingest queue acknowledged while stopping, so a clean stop leaves the log empty.
        if (Interlocked.Read(ref _loaded) >= 0)
        {
            while (await LoadOnceAsync(CancellationToken.None).ConfigureAwait(false)) { }
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    /// <summary>Loads up to <see cref="MaxEventsPerLoad"/> events or <see cref="MaxBytesPerLoad"/> bytes of the log; false when there was nothing to load.</summary>
    private async Task<bool> LoadOnceAsync(CancellationToken cancellationToken)
    {
        var from = Interlocked.Read(ref _loaded);
        var to = _retryEnd > from ? _retryEnd : log.DurableEnd;
        if (from >= to)
        {
            Interlocked.Exchange(ref _progressAt, options.Time.GetUtcNow().UtcTicks);
            Signal();
            return false;
        }
        var events = new List<FeatureEvent>();
        var end = from;
        long received = 0;
        long bytes = 0;
        foreach (var (frameEnd, receivedUs, payload) in log.Read(from, to))
        {
            events.AddRange(EventParser.Parse(payload).Events.Select(e => e.Event));
            end = frameEnd;
            received = receivedUs;
            bytes += payload.Length;
            if (events.Count >= MaxEventsPerLoad || bytes >= MaxBytesPerLoad)
            {
                break;
            }
        }
        _retryEnd = end;
        await store
            .AppendFromLogAsync(events, UnixMicroseconds.ToTime(received), end, cancellationToken)
            .ConfigureAwait(false);
        _retryEnd = -1;
        Interlocked.Exchange(ref _loaded, end);
        Interlocked.Exchange(ref _progressAt, options.Time.GetUtcNow().UtcTicks);
        log.DeleteBefore(end);
        Signal();
        return true;
    }

    private void Signal()
    {
        lock (_gate)
        {
            _progress.TrySetResult();
            _progress = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    [LoggerMessage(
        Level = LogLevel.Error,
        Message = "Loading the ingest log into the store failed; the events are safe in the log and loading will be retried"
    )]
    private static partial void LogLoadFailed(ILogger logger, Exception exception);
}
