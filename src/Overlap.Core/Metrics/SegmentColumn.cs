namespace Overlap.Core.Metrics;

/// <summary>
/// One segment column, dictionary-encoded: <see cref="Codes"/> holds, for every example, the index of its
/// value in <see cref="Values"/> (0 to k-1), or -1 when the value is missing (counted overall but in no segment; the
/// evaluator gives them a "(missing)" group of their own, so none is -1 there).
/// </summary>
/// <param name="Name">The column's name, as the contract writes it.</param>
/// <param name="Codes">One code per example: 0 to <c>Values.Count - 1</c>, or -1 for missing.</param>
/// <param name="Values">The distinct values, indexed by code (k = Values.Count).</param>
internal sealed record SegmentColumn(string Name, ReadOnlyMemory<int> Codes, IReadOnlyList<string> Values);
