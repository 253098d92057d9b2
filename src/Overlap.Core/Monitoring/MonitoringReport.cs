namespace Overlap.Core.Monitoring;

/// <summary>A feature's production windows, oldest first.</summary>
public sealed record MonitoringReport
{
    /// <summary>The feature's slug.</summary>
    public required string Feature { get; init; }

    /// <summary>The contract version the windows were judged against.</summary>
    public required int ContractVersion { get; init; }

    /// <summary>The window length, as the contract writes it ("1d", "1h").</summary>
    public required string Window { get; init; }

    /// <summary>The windows.</summary>
    public required IReadOnlyList<WindowReport> Windows { get; init; }

    /// <summary>The contract's <c>retrain_when</c> applied to these windows; null when it sets none.</summary>
    public RetrainRecommendation? Retrain { get; init; }

    /// <summary>
    /// Whether the performance estimate held against the realised figures of the recent labelled windows; null when
    /// nothing is estimated (not a binary contract, or a key metric the estimate does not cover).
    /// </summary>
    public Estimation.EstimateCheck? EstimateCheck { get; init; }

    /// <summary>What the calibration behind the estimates was fitted on; null for a contract whose performance is not estimated.</summary>
    public Estimation.CalibrationBasis? Calibration { get; init; }
}
