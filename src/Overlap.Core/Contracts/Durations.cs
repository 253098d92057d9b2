using System.Globalization;

namespace Overlap.Core.Contracts;

/// <summary>Durations as contracts write them: a positive number and a unit, s, m, h, d or w ("30m", "1.5h", "7d").</summary>
public static class Durations
{
    /// <summary>The duration <paramref name="text"/> names, or null when it is not one.</summary>
    public static TimeSpan? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length < 2)
        {
            return null;
        }
        var unit = text[^1];
        if (
            !double.TryParse(
                text.AsSpan(0, text.Length - 1),
                NumberStyles.Float,
                CultureInfo.InvariantCulture,
                out var amount
            )
            || amount <= 0
        )
        {
            return null;
        }
        return unit switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            'w' => TimeSpan.FromDays(7 * amount),
            _ => null,
        };
    }
}
