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
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];

    /// <summary>True, with the value, when <paramref name="text"/> is a plain decimal of at most 15 digits.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (text.Length > 0 && (text[0] == '-' || text[0] == '+'))
        {
            negative = text[0] == '-';
            i = 1;
        }
        long mantissa = 0;
        var digits = 0;
        var fraction = -1;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c >= '0' && c <= '9')
            {
                mantissa = (mantissa * 10) + (c - '0');
                digits++;
                if (fraction >= 0)
                {
                    fraction++;
                }
            }
            else if (c == '.' && fraction < 0)
            {
                fraction = 0;
            }
            else
            {
                return false;
            }
        }
        if (digits == 0 || digits > 15 || fraction == 0)
        {
            return false;
        }
        var result = fraction > 0 ? mantissa / PowersOfTen[fraction] : mantissa;
        value = negative ? -result : result;
        return true;
    }
}
