namespace Overlap.Core.Statistics;

/// <summary>Checks shared by the tests on two count vectors over the same categories.</summary>
internal static class CountVectors
{
    /// <summary>The two totals; throws when the vectors differ in length.</summary>
    public static (double First, double Second) Totals(ReadOnlySpan<long> first, ReadOnlySpan<long> second)
    {
        if (first.Length != second.Length)
        {
            throw new ArgumentException("the two count vectors must have the same length (one entry per category)");
        }
        double a = 0,
            b = 0;
        for (var i = 0; i < first.Length; i++)
        {
            a += first[i];
            b += second[i];
        }
        return (a, b);
    }
}
