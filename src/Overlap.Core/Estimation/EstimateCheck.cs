namespace Overlap.Core.Estimation;

/// <summary>
/// Whether the performance estimate can be trusted, judged where realised figures exist: the estimate against the
/// realised figure of the recent windows with enough labels (see <see cref="EstimateChecker"/> for the rule).
/// </summary>
public sealed record EstimateCheck
{
    /// <summary>The metric judged (the feature's key metric).</summary>
    public required string Metric { get; init; }

    /// <summary>
    /// False when the realised interval excluded the estimate in most of the windows checked; true when it did not;
    /// null when too few windows could be checked to say (see <see cref="Reason"/>).
    /// </summary>
    public bool? Reliable { get; init; }

    /// <summary>The mean of estimated minus realised <see cref="Metric"/> over the windows checked; null when none was.</summary>
    public double? MeanError { get; init; }

    /// <summary>The mean of estimated minus realised for each estimated metric over the same windows (a metric undefined in every one is left out).</summary>
    public required IReadOnlyDictionary<string, double> MeanErrors { get; init; }

    /// <summary>How many recent windows had both figures and a realised interval narrow enough to check.</summary>
    public required int WindowsChecked { get; init; }

    /// <summary>How many of them had the estimate outside the realised interval.</summary>
    public required int WindowsExcluded { get; init; }

    /// <summary>The windows checked, oldest first.</summary>
    public required IReadOnlyList<EstimateCheckWindow> Windows { get; init; }

    /// <summary>Why nothing could be said (too few labelled windows); null when <see cref="Reliable"/> has a value.</summary>
    public string? Reason { get; init; }

    /// <summary>The finding in words, with what to do about it.</summary>
    public required string Statement { get; init; }
}
