using Overlap.Core.Estimation;

namespace Overlap.Core.Monitoring;

/// <summary>
/// The estimate as an alert check: a warning while it is unreliable (the realised figures excluded it in most recent
/// labelled windows), ok while it holds, no data until enough windows are labelled to tell.
/// </summary>
public static class EstimateAlert
{
    /// <summary>The check's name.</summary>
    public const string Check = "estimate reliability";

    /// <summary>The check for <paramref name="check"/> of <paramref name="feature"/>, with what to do when the estimate is unreliable.</summary>
    public static CheckResult Judge(EstimateCheck check, string feature)
    {
        ArgumentNullException.ThrowIfNull(check);
        return check.Reliable switch
        {
            false => new CheckResult(
                Check,
                AlertState.Warning,
                $"{check.Statement} An admin can recalibrate it on the feature page (or POST /v1/features/{feature}/recalibrate)."
            ),
            true => new CheckResult(Check, AlertState.Ok, check.Statement),
            null => new CheckResult(Check, AlertState.NoData, check.Statement),
        };
    }
}
