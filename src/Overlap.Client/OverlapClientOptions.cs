namespace Overlap.Client;

/// <summary>Where the client sends events and how it batches and retries.</summary>
public sealed class OverlapClientOptions
{
    /// <summary>The server's base address, e.g. http://127.0.0.1:5080.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>An API key with the ingest (or admin) role.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Events held in memory while waiting to be sent; when full, new events are dropped (and counted), never waited for.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>The most events in one request.</summary>
    public int MaxBatchSize { get; set; } = 500;

    /// <summary>How long a partly filled batch waits for more events before it is sent.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The first wait before a retry; it doubles (with jitter) up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between retries.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a batch is retried (network errors, 408, 429, 5xx) before it is given up: dropped, counted in
    /// <see cref="OverlapClientStats.Dropped"/> and logged. A 400 is never retried.
    /// </summary>
    public TimeSpan RetryLimit { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long disposing waits for queued events to be sent before dropping the rest.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long an experiment's assignment rule (<see cref="OverlapClient.AssignAsync"/>) is used before it is asked for
    /// again, so a changed split or an experiment taken out of the contract reaches the application.
    /// </summary>
    public TimeSpan ExperimentRefresh { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The clock used for event times and waits; a fake one in tests.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (Endpoint is null || !Endpoint.IsAbsoluteUri)
        {
            throw new ArgumentException(
                "Overlap needs Endpoint: the server's absolute address, e.g. http://127.0.0.1:5080",
                nameof(Endpoint)
            );
        }
        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            throw new ArgumentException(
                "Overlap needs ApiKey: create one with 'overlap keys create --role ingest'",
                nameof(ApiKey)
            );
        }
        if (RetryLimit < TimeSpan.Zero)
        {
            throw new ArgumentException(
                "RetryLimit cannot be negative; use TimeSpan.Zero to never retry",
                nameof(RetryLimit)
            );
        }
        if (QueueCapacity < 1 || MaxBatchSize < 1)
        {
            throw new ArgumentException("QueueCapacity and MaxBatchSize must be at least 1");
        }
    }
}
