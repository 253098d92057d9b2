using BenchmarkDotNet.Attributes;

namespace Overlap.Benchmarks;

/// <summary>The sizes every suite runs at: a tenth of the DESIGN.md target, and the target itself.</summary>
public abstract class SizedBenchmark
{
    [Params(100_000, 1_000_000)]
    public int Rows { get; set; }

    /// <summary>Every suite draws its synthetic data from this seed.</summary>
    protected static Random NewRandom() => new(42);
}
