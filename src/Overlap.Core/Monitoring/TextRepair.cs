using System.Text;

namespace Overlap.Core.Monitoring;

/// <summary>
/// Stored text a reader can still use with a mark: a NUL or a lone surrogate (which no valid UTF-8 can hold) becomes
/// U+FFFD, so a segment value keeps its row instead of breaking the page or the JSON it is written into.
/// </summary>
public static class TextRepair
{
    /// <summary>The reason counted when a value was repaired.</summary>
    public static string Reason(string what) =>
        $"{what} held a NUL or a lone surrogate and is shown with U+FFFD in its place (the row is kept)";

    /// <summary>The text with every NUL and lone surrogate (and, with <paramref name="controls"/>, every other control character) replaced by U+FFFD; whether anything was.</summary>
    public static (string Text, bool Repaired) Repair(string text, bool controls = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = FirstBad(text, controls);
        if (first < 0)
        {
            return (text, false);
        }
        var repaired = new StringBuilder(text.Length);
        repaired.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                repaired.Append(c).Append(text[++i]);
            }
            else
            {
                repaired.Append(Bad(c, controls) ? '\uFFFD' : c);
            }
        }
        return (repaired.ToString(), true);
    }

    private static bool Bad(char c, bool controls) =>
        c == '\0' || char.IsSurrogate(c) || (controls && char.IsControl(c));

    private static int FirstBad(string text, bool controls)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (Bad(c, controls))
            {
                return i;
            }
        }
        return -1;
    }
}
