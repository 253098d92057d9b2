using Overlap.Core.Estimation;
using Overlap.Core.Monitoring;

namespace Overlap.Server.Monitoring.Charts;

internal static partial class FeatureCharts
{
    /// <summary>
    /// Why a window's estimate is not to be trusted, when it is not: the estimate is unreliable and the window either has
    /// no realised figure yet (the estimate is all there is) or its realised interval excluded the estimate; else null.
    /// </summary>
    public static string? UnreliableEstimate(EstimateCheck? check, WindowReport window)
    {
        ArgumentNullException.ThrowIfNull(window);
        if (check is not { Reliable: false } || window.Estimated is null)
        {
            return null;
        }
        var realised = window.Evaluation?.Metrics.GetValueOrDefault(check.Metric) is { } r && double.IsFinite(r.Value);
        return !realised || check.Windows.Any(w => w.Start == window.Start && w.Excluded) ? check.Statement : null;
    }
}
