using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Overlap.Server.Contracts;

namespace Overlap.Server.Review;

/// <summary>
/// Routes new predictions to each feature's review queue, and escalates items that waited too long, every
/// <see cref="Period"/> on the server's clock, so the queue fills while nobody looks at it. Routing is this service's
/// alone: a read of the queue writes nothing, it waits for a pass (<see cref="CatchUpAsync"/>).
/// </summary>
internal sealed partial class ReviewScheduler(
    ReviewQueue queue,
    ContractRegistry features,
    ServerOptions options,
    ILogger<ReviewScheduler> logger
) : BackgroundService
{
    /// <summary>How often the queues are routed.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    /// <summary>How long a read waits for a routing pass before it answers with the queue as it is.</summary>
    public static readonly TimeSpan ReadWait = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();

    /// <summary>Completes when a read asks for a pass: the loop then routes at once instead of at the end of its period.</summary>
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the next pass (one that starts after it was taken) has routed every queue.</summary>
    private TaskCompletionSource _nextPass = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Waits, at most <see cref="ReadWait"/>, until a pass that started after the call has routed every queue, so a read
    /// sees what was loaded before it routed; false when no pass came in time (the read shows the queue as it is).
    /// </summary>
    public async Task<bool> CatchUpAsync(CancellationToken cancellationToken)
    {
        Task pass;
        lock (_gate)
        {
            pass = _nextPass.Task;
            _wake.TrySetResult();
        }
        try
        {
            await pass.WaitAsync(ReadWait, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            TaskCompletionSource pass;
            Task wake;
            lock (_gate)
            {
                pass = _nextPass;
                _nextPass = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (_wake.Task.IsCompleted)
                {
                    _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
                wake = _wake.Task;
            }
            foreach (var feature in features.WithReview())
            {
                try
                {
                    await queue.RouteAsync(feature, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // One feature's failure is logged and tried again at the next wake; the other queues are routed as usual.
                    LogRoutingFailed(logger, feature, e);
                }
            }
            pass.TrySetResult();
            try
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                await Task.WhenAny(Task.Delay(Period, options.Time, wait.Token), wake.WaitAsync(wait.Token))
                    .ConfigureAwait(false);
                await wait.CancelAsync().ConfigureAwait(false);
                stoppingToken.ThrowIfCancellationRequested();
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(
        Level = LogLevel.Error,
        Message = "Routing the review queue of {Feature} failed; trying again at the next wake"
    )]
    private static partial void LogRoutingFailed(ILogger logger, string feature, Exception exception);
}
