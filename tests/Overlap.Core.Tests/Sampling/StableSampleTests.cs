using Overlap.Core.Sampling;

namespace Overlap.Core.Tests.Sampling;

/// <summary>The sampling rule every store follows, checked against the xxHash specification's known XXH64 values.</summary>
public sealed class StableSampleTests
{
    [Theory]
    [InlineData("", 0xEF46DB3751D8E999UL)]
    [InlineData("a", 0xD24EC4F1A98C6E5BUL)]
    [InlineData("abc", 0x44BC2CF5AD770999UL)]
    [InlineData("Nobody inspects the spammish repetition", 0xFBCEA83C8A378BF1UL)]
    public void Key_IsXxHash64OfTheUtf8BytesWithSeedZero(string id, ulong expected) =>
        Assert.Equal(expected, StableSample.Key(id));

    [Theory]
    [InlineData("", 0.9346749315317059)]
    [InlineData("a", 0.8215144243236395)]
    [InlineData("abc", 0.2684963321493933)]
    public void Uniform_IsTheTop53BitsOverTwoTo53(string id, double expected) =>
        Assert.Equal(expected, StableSample.Uniform(id));

    [Fact]
    public void Takes_CutsAtTheShare()
    {
        Assert.True(StableSample.Takes("abc", 0.27));
        Assert.False(StableSample.Takes("abc", 0.26));
        Assert.False(StableSample.Takes("abc", 0));
        Assert.True(StableSample.Takes("", 1));
    }

    [Fact]
    public void NeedsSecondOpinion_HashesTheIdWithItsSuffix() =>
        Assert.Equal(StableSample.Takes("abc#second", 0.5), StableSample.NeedsSecondOpinion("abc", 0.5));

    [Fact]
    public void Takes_AShareOfManyIds_TakesAboutThatShare()
    {
        var taken = Enumerable.Range(0, 100_000).Count(i => StableSample.Takes($"pred-{i}", 0.1));
        // Binomial(100000, 0.1): sd ≈ 95, so ±600 is over six standard deviations.
        Assert.InRange(taken, 9_400, 10_600);
    }

    [Fact]
    public void Pick_TakesTheSmallestKeysInTheOrderGiven()
    {
        // Keys: "abc" 0x44BC…, "a" 0xD24E…, "" 0xEF46….
        Assert.Equal(["a", "abc"], StableSample.Pick(["", "a", "abc"], 2));
        Assert.Equal(["abc"], StableSample.Pick(["", "a", "abc"], 1));
        Assert.Equal(["", "a", "abc"], StableSample.Pick(["", "a", "abc"], 5));
        Assert.Empty(StableSample.Pick(["", "a"], 0));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(250)]
    [InlineData(4999)]
    [InlineData(5000)]
    [InlineData(9000)]
    public async Task PickAsync_AsIdsStreamIn_TakesWhatPickTakes(int size)
    {
        // The ids in an order unrelated to their keys; the streamed pick holds only the sample while it reads.
        var ids = Enumerable.Range(0, 5000).Select(i => $"p-{(i * 7919) % 5000}").ToList();
        var (picked, count) = await StableSample.PickAsync(ids.ToAsyncEnumerable(), size);
        Assert.Equal(5000, count);
        Assert.Equal(Math.Min(size, 5000), picked.Count);
        Assert.Equal(StableSample.Pick(ids, size).Order(StringComparer.Ordinal), picked.Order(StringComparer.Ordinal));
        var (none, zero) = await StableSample.PickAsync(AsyncEnumerable.Empty<string>(), size);
        Assert.Empty(none);
        Assert.Equal(0, zero);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(250)]
    [InlineData(4999)]
    [InlineData(9000)]
    public async Task PickAsync_IdsThatComeAgain_AreTakenOnce_AsPickTakesTheDistinctIds(int size)
    {
        // Each id comes once, then a third of them again later (copies a store has not merged yet): before, a repeat
        // was taken twice, so the sample held fewer distinct ids than asked for, or one id twice.
        var distinct = Enumerable.Range(0, 5000).Select(i => $"p-{(i * 7919) % 5000}").ToList();
        var ids = distinct.Concat(distinct.Where((_, i) => i % 3 == 0)).ToList();
        var (picked, count) = await StableSample.PickAsync(ids.ToAsyncEnumerable(), size);
        Assert.Equal(ids.Count, count);
        Assert.Equal(
            StableSample.Pick(distinct, size).Order(StringComparer.Ordinal),
            picked.Order(StringComparer.Ordinal)
        );
        // A repeat straight after itself, and the whole stream twice over.
        var (twice, _) = await StableSample.PickAsync(
            distinct.SelectMany(id => new[] { id, id }).ToAsyncEnumerable(),
            size
        );
        Assert.Equal(picked.Order(StringComparer.Ordinal), twice.Order(StringComparer.Ordinal));
        var (again, _) = await StableSample.PickAsync(distinct.Concat(distinct).ToAsyncEnumerable(), size);
        Assert.Equal(picked.Order(StringComparer.Ordinal), again.Order(StringComparer.Ordinal));
    }
}
