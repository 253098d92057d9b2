using System.Buffers;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Overlap.Events;

namespace Overlap.Client;

/// <summary>
/// The SDK: Log methods put events in a bounded in-memory queue and return; one background loop sends them in
/// gzipped NDJSON batches to <c>POST /v1/events</c>, retrying with exponential backoff and jitter (honouring
/// Retry-After) on network errors, 408, 429 and 5xx for up to <see cref="OverlapClientOptions.RetryLimit"/>, after which
/// the batch is dropped, counted and logged. Refused events (400) are counted, not retried; a batch too large (413) is split. Disposing sends what is queued, for up to <see cref="OverlapClientOptions.ShutdownTimeout"/>.
/// Nothing here blocks or throws into the caller; every event is counted as sent, rejected or dropped.
/// </summary>
public sealed partial class OverlapClient : IOverlapClient
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly OverlapClientOptions _options;
    private readonly ILogger _logger;
    private readonly Uri _events;
    private readonly Channel<FeatureEvent> _queue;
    private readonly CancellationTokenSource _abort = new();
    private readonly Task _sender;
    private CancellationTokenSource _flushNow = new();
    private long _logged;
    private long _sent;
    private long _rejected;
    private long _dropped;
    private long _retries;
    private int _disposed;

    /// <summary>Creates a client with its own HTTP connection pool.</summary>
    public OverlapClient(OverlapClientOptions options, ILogger<OverlapClient>? logger = null)
        : this(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }),
            options,
            logger,
            ownsHttp: true
        ) { }

    internal OverlapClient(HttpClient http, OverlapClientOptions options, ILogger<OverlapClient>? logger, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _http = http;
        _ownsHttp = ownsHttp;
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _events = new Uri(options.Endpoint!, "v1/events");
        _queue = Channel.CreateBounded<FeatureEvent>(
            new BoundedChannelOptions(options.QueueCapacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            }
        );
        _sender = Task.Run(SendLoopAsync);
    }

    /// <inheritdoc />
    public OverlapClientStats Stats =>
        new(
            Interlocked.Read(ref _logged),
            Interlocked.Read(ref _sent),
            Interlocked.Read(ref _rejected),
            Interlocked.Read(ref _dropped),
            Interlocked.Read(ref _retries)
        );

    /// <inheritdoc />
    public void LogPrediction(PredictionEvent prediction) => Enqueue(prediction);

    /// <inheritdoc />
    public void LogOutcome(OutcomeEvent outcome) => Enqueue(outcome);

    /// <inheritdoc />
    public void LogFeedback(FeedbackEvent feedback) => Enqueue(feedback);

    /// <inheritdoc />
    public void LogBusiness(BusinessEvent business) => Enqueue(business);

    /// <inheritdoc />
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var target = Interlocked.Read(ref _logged);
        while (Done() < target && !_sender.IsCompleted)
        {
            await Interlocked
                .Exchange(ref _flushNow, new CancellationTokenSource())
                .CancelAsync()
                .ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _queue.Writer.TryComplete();
        var finished = await Task.WhenAny(_sender, Task.Delay(_options.ShutdownTimeout, _options.Time))
            .ConfigureAwait(false);
        if (finished != _sender)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
        }
        await _sender.ConfigureAwait(false);
        while (_queue.Reader.TryRead(out _))
        {
            Interlocked.Increment(ref _dropped);
        }
        var stats = Stats;
        if (stats.Dropped + stats.Rejected > 0)
        {
            LogLost(_logger, stats.Sent, stats.Rejected, stats.Dropped);
        }
        _abort.Dispose();
        _rulesGate.Dispose();
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private long Done() =>
        Interlocked.Read(ref _sent) + Interlocked.Read(ref _rejected) + Interlocked.Read(ref _dropped);

    private void Enqueue(FeatureEvent? e)
    {
        Interlocked.Increment(ref _logged);
        if (e is null || Volatile.Read(ref _disposed) != 0 || !_queue.Writer.TryWrite(e))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private async Task SendLoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<FeatureEvent>(_options.MaxBatchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            Fill(reader, batch);
            if (batch.Count < _options.MaxBatchSize)
            {
                // Give a partial batch until the flush interval (or a flush, or shutdown) to fill up.
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(
                    _abort.Token,
                    Volatile.Read(ref _flushNow).Token
                );
                wait.CancelAfter(_options.FlushInterval);
                try
                {
                    while (
                        batch.Count < _options.MaxBatchSize
                        && await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false)
                    )
                    {
                        Fill(reader, batch);
                    }
                }
                catch (OperationCanceledException)
                {
                    // Time to send what there is.
                }
            }
            await SendAsync(batch).ConfigureAwait(false);
            batch.Clear();
        }
    }

    private void Fill(ChannelReader<FeatureEvent> reader, List<FeatureEvent> batch)
    {
        while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var e))
        {
            batch.Add(e);
        }
    }

    private async Task SendAsync(IReadOnlyList<FeatureEvent> batch)
    {
        var body = Compress(batch);
        var giveUpAt = _options.Time.GetUtcNow() + _options.RetryLimit;
        for (var attempt = 0; ; attempt++)
        {
            TimeSpan? retryAfter = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, _events)
                {
                    Content = new ByteArrayContent(body),
                };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
                request.Content.Headers.ContentEncoding.Add("gzip");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
                using var response = await _http.SendAsync(request, _abort.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK or HttpStatusCode.BadRequest)
                {
                    var accepted = await AcceptedAsync(response).ConfigureAwait(false);
                    Interlocked.Add(ref _sent, accepted);
                    Interlocked.Add(ref _rejected, batch.Count - accepted);
                    return;
                }
                if (response.StatusCode == HttpStatusCode.RequestEntityTooLarge && batch.Count > 1)
                {
                    var half = batch.Count / 2;
                    await SendAsync([.. batch.Take(half)]).ConfigureAwait(false);
                    await SendAsync([.. batch.Skip(half)]).ConfigureAwait(false);
                    return;
                }
                if (status is not (408 or 429) && status < 500)
                {
                    // 401, 403, 413 for one event, other 4xx: sending again cannot help.
                    LogRefused(_logger, status, batch.Count);
                    Interlocked.Add(ref _dropped, batch.Count);
                    return;
                }
                retryAfter = response.Headers.RetryAfter?.Delta;
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                Interlocked.Add(ref _dropped, batch.Count);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                // The server is unreachable or too slow: retry below.
            }
            var wait = retryAfter ?? Backoff(attempt);
            if (_options.Time.GetUtcNow() + wait > giveUpAt)
            {
                // A server that keeps failing must not hold the queue for ever: the batch is given up and counted.
                LogGaveUp(_logger, batch.Count, attempt + 1, _options.RetryLimit);
                Interlocked.Add(ref _dropped, batch.Count);
                return;
            }
            Interlocked.Increment(ref _retries);
            try
            {
                await Task.Delay(wait, _options.Time, _abort.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Add(ref _dropped, batch.Count);
                return;
            }
        }
    }

    /// <summary>Exponential backoff with full jitter between half and all of the step.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var step = Math.Min(
            _options.MaxBackoff.TotalMilliseconds,
            _options.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30))
        );
#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
        return TimeSpan.FromMilliseconds(step * (0.5 + (Random.Shared.NextDouble() * 0.5)));
#pragma warning restore CA5394
    }

    private static async Task<int> AcceptedAsync(HttpResponseMessage response)
    {
        try
        {
            using var document = await JsonDocument
                .ParseAsync(await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                .ConfigureAwait(false);
            return document.RootElement.TryGetProperty("accepted", out var accepted) ? accepted.GetInt32() : 0;
        }
        catch (JsonException)
        {
            return 0;
        }
    }

    private static byte[] Compress(IReadOnlyList<FeatureEvent> batch)
    {
        var ndjson = new ArrayBufferWriter<byte>();
        EventWriter.WriteNdjson(batch, ndjson);
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(ndjson.WrittenSpan);
        }
        return output.ToArray();
    }

    [LoggerMessage(
        Level = LogLevel.Error,
        Message = "Overlap refused a batch of {Count} events with HTTP {Status}; check the endpoint and the API key's role. The events are dropped"
    )]
    private static partial void LogRefused(ILogger logger, int status, int count);

    [LoggerMessage(
        Level = LogLevel.Error,
        Message = "Overlap could not store a batch of {Count} events after {Attempts} attempts within {Limit}; the events are dropped"
    )]
    private static partial void LogGaveUp(ILogger logger, int count, int attempts, TimeSpan limit);

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Overlap client closed: {Sent} events sent, {Rejected} rejected by the server, {Dropped} dropped"
    )]
    private static partial void LogLost(ILogger logger, long sent, long rejected, long dropped);
}
