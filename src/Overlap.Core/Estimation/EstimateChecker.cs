using System.Globalization;
using Overlap.Core.Monitoring;
using Overlap.Core.Statements;

namespace Overlap.Core.Estimation;

/// <summary>
/// Checks the performance estimate against what labels later showed. The recent windows are the last
/// <see cref="Recent"/> that have both an estimate and a realised figure of the metric with its interval. With fewer
/// than <see cref="MinWindows"/> nothing is said. The estimate is unreliable when the realised interval excluded it in
/// more than half of them: an interval excludes at its confidence however wide it is, so few labels never hide a miss.
/// It holds when it is not unreliable and at least <see cref="MinWindows"/> of them have a realised interval at most
/// <see cref="SettledWidth"/> wide: a wide interval that holds the estimate says little, so it cannot vouch for it.
/// </summary>
public static class EstimateChecker
{
    /// <summary>The widest realised interval that can vouch for the estimate: narrower means enough labels to tell.</summary>
    public const double SettledWidth = 0.25;

    /// <summary>How many of the latest labelled windows are judged.</summary>
    public const int Recent = 4;

    /// <summary>The fewest labelled windows needed to judge, and the fewest narrow ones needed to say the estimate holds.</summary>
    public const int MinWindows = 2;

    /// <summary>
    /// The check of <paramref name="metric"/> over <paramref name="windows"/> (oldest first); null when no window has an
    /// estimate of it (not a binary contract, or a metric that is not estimated).
    /// </summary>
    public static EstimateCheck? Check(IReadOnlyList<WindowReport> windows, string metric, TimeSpan windowLength)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (
            !PerformanceEstimator.MetricNames.Contains(metric)
            || !windows.Any(w => w.Estimated?.Metrics.ContainsKey(metric) == true)
        )
        {
            return null;
        }
        var checkable = windows.Where(w => Labelled(w, metric)).TakeLast(Recent).ToList();
        var checkedWindows = checkable
            .Select(w =>
            {
                var estimated = w.Estimated!.Metrics[metric].Value;
                var realised = w.Evaluation!.Metrics[metric];
                return new EstimateCheckWindow(
                    w.Start,
                    estimated,
                    realised.Value,
                    realised.CiLow,
                    realised.CiHigh,
                    estimated - realised.Value,
                    estimated < realised.CiLow || estimated > realised.CiHigh
                );
            })
            .ToList();
        var errors = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var each in PerformanceEstimator.MetricNames)
        {
            var differences = checkable
                .Select(w =>
                    (w.Estimated!.Metrics.GetValueOrDefault(each)?.Value ?? double.NaN)
                    - (w.Evaluation!.Metrics.GetValueOrDefault(each)?.Value ?? double.NaN)
                )
                .Where(double.IsFinite)
                .ToList();
            if (differences.Count > 0)
            {
                errors[each] = differences.Average();
            }
        }
        var excluded = checkedWindows.Count(w => w.Excluded);
        var unit = Unit(windowLength);
        var name = Phrasing.Name(metric);
        var unreliable = checkedWindows.Count >= MinWindows && excluded * 2 > checkedWindows.Count;
        var settled = checkedWindows.Count(w => w.RealisedHigh - w.RealisedLow <= SettledWidth);
        if (!unreliable && (checkedWindows.Count < MinWindows || settled < MinWindows))
        {
            var reason =
                checkedWindows.Count < MinWindows
                    ? string.Create(
                        CultureInfo.InvariantCulture,
                        $"only {checkedWindows.Count} labelled {(checkedWindows.Count == 1 ? unit.One : unit.Many)} with a realised {name}; the estimate is checked once {MinWindows} are"
                    )
                    : string.Create(
                        CultureInfo.InvariantCulture,
                        $"the realised {name} interval is at most {SettledWidth} wide in only {settled} of the last {checkedWindows.Count} labelled {unit.Many}: too few labels to say the estimate holds, and it was outside the realised interval in {excluded}"
                    );
            double? meanSoFar = checkedWindows.Count == 0 ? null : checkedWindows.Average(w => w.Error);
            var soFar = meanSoFar is { } m
                ? $" So far it has been {Phrasing.Number(Math.Abs(m))} {(m < 0 ? "below" : "above")} the realised {name} on average."
                : "";
            return new EstimateCheck
            {
                Metric = metric,
                MeanError = meanSoFar,
                MeanErrors = errors,
                WindowsChecked = checkedWindows.Count,
                WindowsExcluded = excluded,
                Windows = checkedWindows,
                Reason = reason,
                Statement = $"Not known yet whether the estimate can be trusted: {reason}.{soFar}",
            };
        }
        var mean = checkedWindows.Average(w => w.Error);
        var side = mean < 0 ? "below" : "above";
        var of = string.Create(
            CultureInfo.InvariantCulture,
            $"{excluded} of the last {checkedWindows.Count} labelled {unit.Many}"
        );
        return new EstimateCheck
        {
            Metric = metric,
            Reliable = !unreliable,
            MeanError = mean,
            MeanErrors = errors,
            WindowsChecked = checkedWindows.Count,
            WindowsExcluded = excluded,
            Windows = checkedWindows,
            Statement = unreliable
                ? $"The estimate is unreliable: it has been {Phrasing.Number(Math.Abs(mean))} {side} the realised {name} on average, outside the realised interval in {of}; do not trust it until it is recalibrated on recent labelled predictions."
                : $"The estimate has held: it was inside the realised {name} interval in {checkedWindows.Count - excluded} of the last {checkedWindows.Count} labelled {unit.Many} ({Phrasing.Number(Math.Abs(mean))} {side} on average).",
        };
    }

    /// <summary>True when the window has the metric estimated and realised, with the realised interval.</summary>
    private static bool Labelled(WindowReport window, string metric) =>
        window.Estimated?.Metrics.GetValueOrDefault(metric) is { } e
        && double.IsFinite(e.Value)
        && window.Evaluation?.Metrics.GetValueOrDefault(metric) is { } r
        && double.IsFinite(r.Value)
        && double.IsFinite(r.CiLow)
        && double.IsFinite(r.CiHigh);

    /// <summary>What a window is called in a sentence: a day, a week, an hour, else a window.</summary>
    private static (string One, string Many) Unit(TimeSpan length) =>
        length == TimeSpan.FromDays(1) ? ("day", "days")
        : length == TimeSpan.FromDays(7) ? ("week", "weeks")
        : length == TimeSpan.FromHours(1) ? ("hour", "hours")
        : ("window", "windows");
}
