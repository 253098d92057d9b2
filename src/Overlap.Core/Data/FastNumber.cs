using System.Numerics;

namespace Overlap.Core.Data;

/// <summary>
/// Parses the plain decimals that fill most data files ("-12.375", "0.021409", "149") without the general
/// parser: at most 15 digits and no exponent, so the digits form an integer below 2^53 and the power of ten
/// is exact, and one IEEE division gives the correctly rounded double (Clinger's fast path) — bit for bit
/// what <see cref="double.Parse(string)"/> returns. Anything else is left to the general parser.
/// </summary>
internal static class FastNumber
{
    private static readonly double[] PowersOfTen =
    [
        1e0,
        1e1,
        1e2,
        1e3,
        1e4,
        1e5,
        1e6,
        1e7,
        1e8,
        1e9,
        1e10,
        1e11,
        1e12,
        1e13,
        1e14,
        1e15,
    ];

    /// <summary>True, with the value, when <paramref name="text"/> is a plain decimal of at most 15 digits.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out double value) => TryParse<char>(text, out value);

    /// <summary>The same for UTF-8 bytes, as the CSV reader holds them.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out double value) => TryParse<byte>(utf8, out value);

    private static bool TryParse<TChar>(ReadOnlySpan<TChar> text, out double value)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        value = 0;
        var i = 0;
        var negative = false;
        var first = text.Length > 0 ? int.CreateTruncating(text[0]) : 0;
        if (first == '-' || first == '+')
        {
            negative = first == '-';
            i = 1;
        }
        // Integer digits, then optionally '.' and at least one fraction digit, then the end: nothing else.
        long mantissa = 0;
        var integerStart = i;
        uint digit;
        while (i < text.Length && (digit = uint.CreateTruncating(text[i]) - '0') <= 9)
        {
            mantissa = (mantissa * 10) + digit;
            i++;
        }
        var digits = i - integerStart;
        var fraction = 0;
        if (i < text.Length)
        {
            if (int.CreateTruncating(text[i]) != '.')
            {
                return false;
            }
            var fractionStart = ++i;
            while (i < text.Length && (digit = uint.CreateTruncating(text[i]) - '0') <= 9)
            {
                mantissa = (mantissa * 10) + digit;
                i++;
            }
            fraction = i - fractionStart;
            if (fraction == 0 || i < text.Length)
            {
                return false;
            }
        }
        digits += fraction;
        if (digits == 0 || digits > 15)
        {
            return false;
        }
        var result = fraction > 0 ? mantissa / PowersOfTen[fraction] : mantissa;
        value = negative ? -result : result;
        return true;
    }
}
