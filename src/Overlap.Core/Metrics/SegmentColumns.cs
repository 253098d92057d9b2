namespace Overlap.Core.Metrics;

/// <summary>Checks and lays out segment columns the same way for every engine.</summary>
internal static class SegmentColumns
{
    /// <summary>
    /// The columns (empty when null) after checking that each has one code per example, from -1 to k-1.
    /// </summary>
    public static IReadOnlyList<SegmentColumn> Validate(IReadOnlyList<SegmentColumn>? segments, int n, string paramName)
    {
        segments ??= [];
        foreach (var column in segments)
        {
            if (column is null)
            {
                throw new ArgumentException("A segment column is null.", paramName);
            }
            if (column.Codes.Length != n)
            {
                throw new ArgumentException(
                    $"Segment column '{column.Name}' has {column.Codes.Length} codes for {n} examples.",
                    paramName
                );
            }
            var k = column.Values.Count;
            var codes = column.Codes.Span;
            for (var i = 0; i < n; i++)
            {
                if (codes[i] < -1 || codes[i] >= k)
                {
                    throw new ArgumentException(
                        $"Segment column '{column.Name}' has code {codes[i]} at row {i}; codes run from -1 to {k - 1}.",
                        paramName
                    );
                }
            }
        }
        return segments;
    }

    /// <summary>
    /// The accumulator index of code 0 of each column; accumulator 0 is the overall group, so there are
    /// 1 + Σ k accumulators in all.
    /// </summary>
    public static int[] Offsets(IReadOnlyList<SegmentColumn> segments, out int accumulators)
    {
        var offsets = new int[segments.Count];
        accumulators = 1;
        for (var c = 0; c < offsets.Length; c++)
        {
            offsets[c] = accumulators;
            accumulators += segments[c].Values.Count;
        }
        return offsets;
    }

    /// <summary>
    /// Builds the per-value results of every column, in column and code order, from the accumulator index of
    /// each value.
    /// </summary>
    public static TSegment[] Build<TGroup, TSegment>(
        IReadOnlyList<SegmentColumn> segments,
        int[] offsets,
        Func<int, string, TGroup> group,
        Func<string, TGroup[], TSegment> segment
    )
    {
        var result = new TSegment[segments.Count];
        for (var c = 0; c < result.Length; c++)
        {
            var column = segments[c];
            var values = new TGroup[column.Values.Count];
            for (var k = 0; k < values.Length; k++)
            {
                values[k] = group(offsets[c] + k, column.Values[k]);
            }
            result[c] = segment(column.Name, values);
        }
        return result;
    }
}
