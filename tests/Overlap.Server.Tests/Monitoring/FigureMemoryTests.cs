using Overlap.Server.Monitoring;

namespace Overlap.Server.Tests.Monitoring;

/// <summary>The memory behind the window and range caches: bounded, and forgotten one feature at a time.</summary>
public sealed class FigureMemoryTests
{
    [Fact]
    public void Forget_OneFeature_KeepsTheOthersFigures()
    {
        using var memory = new FigureMemory(100);
        memory.Set("fraud", ("fraud", 1), "fraud day 1");
        memory.Set("fraud", ("fraud", 2), "fraud day 2");
        memory.Set("spam", ("spam", 1), "spam day 1");

        memory.Forget("fraud");

        Assert.False(memory.TryGet<string>(("fraud", 1), out _));
        Assert.False(memory.TryGet<string>(("fraud", 2), out _));
        Assert.True(memory.TryGet<string>(("spam", 1), out var spam));
        Assert.Equal("spam day 1", spam);
        // A figure kept after the feature was forgotten is kept as usual.
        memory.Set("fraud", ("fraud", 1), "fraud day 1 again");
        Assert.True(memory.TryGet<string>(("fraud", 1), out var again));
        Assert.Equal("fraud day 1 again", again);
    }

    [Fact]
    public void Set_PastTheLimit_KeepsAtMostTheLimitWithoutClearingEverything()
    {
        using var memory = new FigureMemory(10);
        for (var i = 0; i < 10; i++)
        {
            memory.Set("fraud", i, i);
        }
        for (var i = 10; i < 30; i++)
        {
            memory.Set("fraud", i, i);
        }
        var kept = Enumerable.Range(0, 30).Count(i => memory.TryGet<int>(i, out _));
        Assert.InRange(kept, 1, 10);
        Assert.False(memory.TryGet<string>(0, out _), "a figure was read back as another type");
    }
}
