using Overlap.Core.Data;

namespace Overlap.Core.Monitoring;

/// <summary>
/// One window of production traffic: every prediction's latency and cost, and the labelled predictions as a table
/// in the contract's columns (the same table <c>overlap eval</c> reads from a file).
/// </summary>
public sealed record ProductionWindow
{
    /// <summary>Where the window starts (inclusive).</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>Where it ends (exclusive).</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary>How many predictions fell in the window.</summary>
    public required int Predictions { get; init; }

    /// <summary>Each prediction's score, NaN where not sent.</summary>
    public required double[] Scores { get; init; }

    /// <summary>Each prediction's latency in milliseconds, NaN where not sent.</summary>
    public required double[] LatencyMs { get; init; }

    /// <summary>Each prediction's cost, NaN where not sent.</summary>
    public required double[] Costs { get; init; }

    /// <summary>The labelled predictions, in the contract's columns.</summary>
    public required Table Labelled { get; init; }

    /// <summary>What of the window's stored rows could not be used, by reason (see <see cref="Monitoring.LeftOut"/>); null when nothing.</summary>
    public IReadOnlyList<LeftOut>? LeftOut { get; init; }

    /// <summary>
    /// Every prediction's decision by the contract's sensitive attributes, for the selection rates fairness compares
    /// (they need no label); null when the contract has no fairness section.
    /// </summary>
    public Fairness.SelectionCells? Selections { get; init; }

    /// <summary>Every prediction's watched inputs and score (<see cref="WindowMonitor.DriftColumns"/>), for drift.</summary>
    public required Table Inputs { get; init; }
}
