using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Overlap.Server.Review;

/// <summary>
/// Routes new predictions to each feature's review queue, and escalates items that waited too long, every
/// <see cref="Period"/> on the server's clock, so the queue fills while nobody looks at it (reading the queue routes too).
/// </summary>
internal sealed partial class ReviewScheduler(ReviewQueue queue, FeatureDirectory features, ServerOptions options, ILogger<ReviewScheduler> logger) : BackgroundService
{
    /// <summary>How often the queues are routed.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var feature in features.WithReview())
                {
                    await queue.RouteAsync(feature, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRoutingFailed(logger, e);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Routing the review queues failed; trying again at the next wake")]
    private static partial void LogRoutingFailed(ILogger logger, Exception exception);
}
