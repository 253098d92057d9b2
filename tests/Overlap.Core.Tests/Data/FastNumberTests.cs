using System.Globalization;
using System.Text;
using FsCheck.Xunit;
using Overlap.Core.Data;

namespace Overlap.Core.Tests.Data;

/// <summary>The fast decimal path gives bit for bit what double.Parse gives, or declines.</summary>
public sealed class FastNumberTests
{
    [Theory]
    [InlineData("0.021409")]
    [InlineData("-12.375")]
    [InlineData("149")]
    [InlineData(".5")]
    [InlineData("+7.25")]
    [InlineData("-0")]
    [InlineData("0.1")]
    [InlineData("0.3")]
    [InlineData("999999999999999")]
    [InlineData("0.00000000000001")]
    [InlineData("123456789.012345")]
    public void PlainDecimals_ParseExactlyAsDoubleParse(string text)
    {
        Assert.True(FastNumber.TryParse(text, out var value));
        Assert.Equal(
            BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)),
            BitConverter.DoubleToInt64Bits(value)
        );
    }

    [Theory]
    [InlineData("1e5")]
    [InlineData("1234567890123456")]
    [InlineData("5.")]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1.2.3")]
    [InlineData("v3")]
    [InlineData("NaN")]
    [InlineData("1,5")]
    [InlineData("-.")]
    [InlineData("1.5x")]
    [InlineData("12a")]
    public void AnythingElse_IsLeftToTheGeneralParser(string text)
    {
        Assert.False(FastNumber.TryParse(text, out _));
        Assert.False(FastNumber.TryParse(Encoding.UTF8.GetBytes(text), out _));
    }

    [Property(MaxTest = 2000)]
    public bool AnyFormattedDouble_ParsesToTheSameBits(double x, byte decimals)
    {
        if (!double.IsFinite(x))
        {
            return true;
        }
        foreach (
            var text in new[]
            {
                x.ToString("R", CultureInfo.InvariantCulture),
                x.ToString("F" + (decimals % 12), CultureInfo.InvariantCulture),
                (x / 1000).ToString("G10", CultureInfo.InvariantCulture),
            }
        )
        {
            if (
                FastNumber.TryParse(text, out var fast)
                && BitConverter.DoubleToInt64Bits(fast)
                    != BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture))
            )
            {
                return false;
            }
            // The UTF-8 path the CSV reader takes accepts exactly the same texts and gives the same bits.
            var fromBytes = FastNumber.TryParse(Encoding.UTF8.GetBytes(text), out var viaBytes);
            if (
                fromBytes != FastNumber.TryParse(text, out var viaChars)
                || BitConverter.DoubleToInt64Bits(viaBytes) != BitConverter.DoubleToInt64Bits(viaChars)
            )
            {
                return false;
            }
        }
        return true;
    }
}
