namespace Overlap.Storage;

/// <summary>
/// A store that counts a window's predictions in groups itself, so a reader that only adds rows up (a window judged
/// from its cells) receives thousands of groups instead of millions of rows: the ClickHouse backend, where moving a day
/// of rows into the instance cost most of a cold window's time. A store without it is read in batches
/// (<see cref="IEventReader.ReadPredictionBatchesAsync"/>).
/// </summary>
public interface IPredictionGroupReader
{
    /// <summary>
    /// The predictions of [<paramref name="from"/>, <paramref name="to"/>) (with <c>FINAL</c>'s exactness: each once)
    /// in groups, in parts (a slice of the range each) that add up: rows that agree on everything
    /// <paramref name="grouping"/> keeps apart are one group. See <see cref="PredictionGroups"/> for what a group holds.
    /// An empty range yields no part.
    /// </summary>
    IAsyncEnumerable<PredictionGroups> ReadPredictionGroupsAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        PredictionGrouping grouping,
        CancellationToken cancellationToken = default
    );
}

/// <summary>What keeps predictions apart in <see cref="IPredictionGroupReader.ReadPredictionGroupsAsync"/>.</summary>
public sealed record PredictionGrouping
{
    /// <summary>Attributes whose values keep groups apart (segments and sensitive attributes), read as <see cref="IEventReader.ReadPredictionsAsync"/> reads them.</summary>
    public required IReadOnlyList<string> Attributes { get; init; }

    /// <summary>
    /// Attributes read only where their text could need repair (a NUL or a lone surrogate, see <c>TextRepair</c>):
    /// a group whose rows might hold one is a group of the rows' stored JSON, with every attribute read from it.
    /// </summary>
    public IReadOnlyList<string> Screened { get; init; } = [];

    /// <summary>The contract threshold the score bins are anchored at.</summary>
    public required double Threshold { get; init; }

    /// <summary>The width of a score bin.</summary>
    public required double BinWidth { get; init; }

    /// <summary>The smallest score the contract admits: scores in [<see cref="ScoreMin"/>, <see cref="ScoreMax"/>] are grouped by bin, any other score is a group of its own value.</summary>
    public double ScoreMin { get; init; } = double.NegativeInfinity;

    /// <summary>The largest score the contract admits.</summary>
    public double ScoreMax { get; init; } = double.PositiveInfinity;

    /// <summary>Whether each admitted score is also counted by its exact value (<see cref="PredictionGroups.ScoreValues"/>): for a calibration that is not linear inside a bin.</summary>
    public bool ScoreValues { get; init; }
}

/// <summary>
/// One part of a range's predictions in groups. <see cref="Rows"/> holds one row per group: its label, decision,
/// workflow trace and attribute values as every member has them, and as its score a member's (every member's score is
/// in the same bin, or is the same value outside the admitted range, or is missing); its id is empty, its time the
/// part's start, its latency and cost missing (they are counted apart, in <see cref="Latencies"/> and
/// <see cref="CostSum"/>).
/// </summary>
public sealed record PredictionGroups
{
    /// <summary>One row per group.</summary>
    public required ProductionRows Rows { get; init; }

    /// <summary>How many predictions each group holds.</summary>
    public required long[] Counts { get; init; }

    /// <summary>The sum of each group's scores (0 without scores).</summary>
    public required double[] ScoreSums { get; init; }

    /// <summary>The sum of each group's squared scores.</summary>
    public required double[] ScoreSquares { get; init; }

    /// <summary>Each admitted score's exact value and how many predictions sent it; empty unless <see cref="PredictionGrouping.ScoreValues"/>.</summary>
    public IReadOnlyList<(double Score, long Count)> ScoreValues { get; init; } = [];

    /// <summary>Each latency sent and how many predictions sent it.</summary>
    public required IReadOnlyList<(double LatencyMs, long Count)> Latencies { get; init; }

    /// <summary>The sum of the finite costs sent.</summary>
    public required double CostSum { get; init; }

    /// <summary>How many predictions sent a finite cost.</summary>
    public required long CostCount { get; init; }

    /// <summary>Each cost sent that is not finite (infinite) and how many sent it.</summary>
    public required IReadOnlyList<(double Cost, long Count)> NonFiniteCosts { get; init; }

    /// <summary>How many predictions the part holds.</summary>
    public long Predictions => Counts.Sum();
}
