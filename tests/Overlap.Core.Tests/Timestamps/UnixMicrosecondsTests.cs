using Overlap.Core.Timestamps;

namespace Overlap.Core.Tests.Timestamps;

public sealed class UnixMicrosecondsTests
{
    [Fact]
    public void From_CountsMicrosecondsSinceTheEpochInUtc()
    {
        Assert.Equal(0, UnixMicroseconds.From(DateTimeOffset.UnixEpoch));
        Assert.Equal(
            3_600_000_000,
            UnixMicroseconds.From(new DateTimeOffset(1970, 1, 1, 2, 0, 0, TimeSpan.FromHours(1)))
        );
        Assert.Equal(-1, UnixMicroseconds.From(DateTimeOffset.UnixEpoch.AddTicks(-10)));
    }

    [Fact]
    public void ToTime_IsTheInverseToTheMicrosecond()
    {
        var time = new DateTimeOffset(2026, 3, 8, 9, 30, 0, TimeSpan.Zero).AddTicks(1_234_567);
        Assert.Equal(time.AddTicks(-7), UnixMicroseconds.ToTime(UnixMicroseconds.From(time)));
        Assert.Equal(time.AddTicks(-7), UnixMicroseconds.Stored(time));
        Assert.Equal(TimeSpan.Zero, UnixMicroseconds.ToTime(5).Offset);
        Assert.Equal(86_400_000_000, UnixMicroseconds.Of(TimeSpan.FromDays(1)));
    }
}
