namespace Overlap.Core.Metrics;

/// <summary>The canonical sort every engine lays its rows out in.</summary>
internal static class RowOrder
{
    /// <summary>
    /// Sorts <paramref name="keys"/> ascending, carrying <paramref name="order"/> (the row of each key) along,
    /// with tied keys ordered by row: Array.Sort is not stable, and the layout must not depend on it, since
    /// bootstrap counts are drawn over sorted positions.
    /// </summary>
    public static void Sort(double[] keys, int[] order)
    {
        Array.Sort(keys, order);
        var n = keys.Length;
        for (var start = 0; start < n; )
        {
            var end = start + 1;
            while (end < n && keys[end] == keys[start])
            {
                end++;
            }
            if (end - start > 1)
            {
                order.AsSpan(start, end - start).Sort();
            }
            start = end;
        }
    }
}
