using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Overlap.Server.Review;

/// <summary>
/// Routes new predictions to each feature's review queue, and escalates items that waited too long, every
/// <see cref="Period"/> on the server's clock, so the queue fills while nobody looks at it (reading the queue routes too).
/// </summary>
internal sealed partial class ReviewScheduler(ReviewQueue queue, ContractRegistry features, ServerOptions options, ILogger<ReviewScheduler> logger) : BackgroundService
{
    /// <summary>How often the queues are routed.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
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
            try
            {
                await Task.Delay(Period, options.Time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Routing the review queue of {Feature} failed; trying again at the next wake")]
    private static partial void LogRoutingFailed(ILogger logger, string feature, Exception exception);
}
