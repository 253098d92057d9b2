using Overlap.Core.Statements;

namespace Overlap.Core.Tests.Statements;

public sealed class PhrasingTests
{
    [Theory]
    [InlineData(139.0771, "139.1")]
    [InlineData(144.753, "144.8")]
    [InlineData(0.974712, "0.9747")]
    [InlineData(0.057812, "0.05781")]
    [InlineData(0.7, "0.7")]
    [InlineData(12.0, "12")]
    [InlineData(999.96, "1000")]
    [InlineData(-3.14159, "-3.142")]
    [InlineData(0.0, "0")]
    [InlineData(12345.6, "12,346")]
    [InlineData(double.NaN, "n/a")]
    public void Number_KeepsFourSignificantDigits(double value, string expected) =>
        Assert.Equal(expected, Phrasing.Number(value));
}
