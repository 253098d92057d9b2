using Overlap.Core.Sampling;

namespace Overlap.Core.Tests.Sampling;

public sealed class DerivedIdsTests
{
    [Fact]
    public void ReviewOutcome_IsPrefixPredictionIdAndMicroseconds()
    {
        var decidedAt = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.FromHours(2)).AddTicks(12_345_678);
        Assert.Equal("review:p1:1795428001234567", DerivedIds.ReviewOutcome("p1", decidedAt));
        Assert.Equal(DerivedIds.ReviewOutcome("p1", decidedAt), DerivedIds.ReviewOutcome("p1", 1_795_428_001_234_567));
    }
}
