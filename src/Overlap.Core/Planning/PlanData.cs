using Overlap.Core.Metrics;

namespace Overlap.Core.Planning;

/// <summary>
/// What a labelled data set shows today: the confusion counts overall and per value of every segment column.
/// For a multiclass task the right decisions are counted as <see cref="Confusion.Tp"/> and the wrong ones as
/// <see cref="Confusion.Fn"/>, so that only accuracy and the example counts are meaningful.
/// </summary>
public sealed record PlanData
{
    /// <summary>Counts over all labelled examples.</summary>
    public required Confusion Overall { get; init; }

    /// <summary>Per segment column, the counts of each of its values, in order of first appearance.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<KeyValuePair<string, Confusion>>> Segments { get; init; } =
        new Dictionary<string, IReadOnlyList<KeyValuePair<string, Confusion>>>();
}
