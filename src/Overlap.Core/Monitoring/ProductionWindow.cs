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

    /// <summary>
    /// When the window was read in groups of predictions (each row standing for several that share what the summary
    /// keeps apart), how many each stands for and what is counted apart; null when each row is one prediction. A
    /// window read so is only summarised (<see cref="WindowSummary.Build(Contracts.Contract, ProductionWindow, Estimation.ScoreCalibration?)"/>),
    /// never evaluated from its table.
    /// </summary>
    public WindowGroups? Groups { get; init; }
}

/// <summary>
/// What the rows of a window read in groups stand for: <see cref="Labelled"/> and <see cref="LabelledScoreSums"/> are
/// parallel to the rows of <see cref="ProductionWindow.Labelled"/>, whose score is then one member's; the scored
/// predictions, latencies and costs are counted apart (<see cref="ProductionWindow.Scores"/>,
/// <see cref="ProductionWindow.LatencyMs"/> and <see cref="ProductionWindow.Costs"/> are then empty).
/// </summary>
public sealed record WindowGroups
{
    /// <summary>How many predictions each labelled row stands for.</summary>
    public required long[] Labelled { get; init; }

    /// <summary>The sum of the scores of the predictions each labelled row stands for.</summary>
    public required double[] LabelledScoreSums { get; init; }

    /// <summary>
    /// The scored predictions the contract admits, in groups: a score, how many predictions, the sum of their scores
    /// and of their squares. Every score of a group is in the bin of its first, and, when <see cref="ExactScores"/>,
    /// equal to it.
    /// </summary>
    public required IReadOnlyList<(double Score, long Count, double Sum, double Squares)> Scores { get; init; }

    /// <summary>Whether each of <see cref="Scores"/> is one exact value (so a calibration that is not linear can be applied to it).</summary>
    public required bool ExactScores { get; init; }

    /// <summary>Each usable latency and how many predictions sent it.</summary>
    public required IReadOnlyList<(double LatencyMs, long Count)> Latencies { get; init; }

    /// <summary>The sum of the usable costs.</summary>
    public required double CostSum { get; init; }

    /// <summary>How many predictions sent a usable cost.</summary>
    public required long CostCount { get; init; }
}
