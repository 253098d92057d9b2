using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Overlap.Server.Contracts;

/// <summary>
/// On a shared store (<see cref="ServerOptions.SharedStore"/>), reads every feature's latest contract version every
/// <see cref="ServerOptions.SharedStateFreshFor"/>, so a contract put through another instance (a new feature or a new
/// version) is what this one checks events against and judges by within that time. A store that cannot be read keeps
/// the contracts last read, and the next round tries again.
/// </summary>
internal sealed partial class ContractRefresher(
    ContractRegistry contracts,
    ServerOptions options,
    ILogger<ContractRefresher> logger
) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SharedStateFreshFor, options.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await contracts.LoadAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogRefreshFailed(logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Reading the contracts from the shared store failed ({Reason}); the ones last read stay in use until the next try"
    )]
    private static partial void LogRefreshFailed(ILogger logger, string reason);
}
