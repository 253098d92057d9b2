using FsCheck.Xunit;
using Overlap.Core.Statistics;

namespace Overlap.Core.Tests.Statistics;

/// <summary>The radix sort orders numbers exactly as Array.Sort does, whatever their sign, size or repeats.</summary>
public sealed class RadixSortTests
{
    [Property(MaxTest = 200)]
    public bool AnyValues_SortAsArraySortDoes(int seed, ushort extra, byte shape)
    {
        // Past the small-array cut-off, so the radix passes run; the shape picks how values repeat and spread.
        var values = Values(new Random(seed), 2048 + extra, shape % 5);
        var expected = (double[])values.Clone();
        Array.Sort(expected);
        RadixSort.Sort(values);
        return values.AsSpan().SequenceEqual(expected);
    }

    [Fact]
    public void NegativeZeroAndInfinities_TakeTheirPlaces()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 5000).Select(i => (1 + random.NextDouble()) * (i % 2 == 0 ? 1 : -1)).ToArray();
        values[10] = double.PositiveInfinity;
        values[20] = double.NegativeInfinity;
        values[30] = -0.0;
        values[40] = 0.0;
        values[50] = double.Epsilon;
        values[60] = -double.Epsilon;
        RadixSort.Sort(values);
        Assert.Equal(double.NegativeInfinity, values[0]);
        Assert.Equal(double.PositiveInfinity, values[^1]);
        for (var i = 1; i < values.Length; i++)
        {
            Assert.True(values[i - 1] <= values[i], $"{values[i - 1]} before {values[i]} at {i}");
        }
        var negativeZero = Array.FindIndex(values, v => v == 0 && double.IsNegative(v));
        var positiveZero = Array.FindIndex(values, v => v == 0 && !double.IsNegative(v));
        Assert.True(negativeZero < positiveZero);
        Assert.Equal(-double.Epsilon, values[negativeZero - 1]);
        Assert.Equal(double.Epsilon, values[positiveZero + 1]);
    }

    [Fact]
    public void ShortSpans_AreSortedToo()
    {
        double[] values = [3, -1, 2.5, -7, 0];
        RadixSort.Sort(values);
        Assert.Equal([-7, -1, 0, 2.5, 3], values);
    }

    private static double[] Values(Random random, int count, int shape)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = shape switch
            {
                0 => Math.Round((random.NextDouble() * 8) - 4, 4),
                1 => random.Next(-3, 4),
                2 => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-300, 300)),
                3 => random.NextDouble(),
                _ => BitConverter.Int64BitsToDouble(random.NextInt64()) is var d && double.IsFinite(d) ? d : 0,
            };
        }
        return values;
    }
}
