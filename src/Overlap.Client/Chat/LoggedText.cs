using System.Text;

namespace Overlap.Client;

/// <summary>
/// Text as Overlap can store it: cut to a bound without splitting a surrogate pair, with a NUL or a lone surrogate
/// (which the server refuses) replaced by U+FFFD, so one odd character never costs the whole prediction.
/// </summary>
internal static class LoggedText
{
    public static bool IsClean(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\0')
            {
                return false;
            }
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>At most <paramref name="maxLength"/> characters: the start, or with <paramref name="keepEnd"/> the
    /// end.</summary>
    public static string Clean(string? text, int maxLength, bool keepEnd = false)
    {
        text ??= "";
        if (text.Length > maxLength)
        {
            var start = keepEnd ? text.Length - maxLength : 0;
            var length = maxLength;
            // Never leave half of a pair at either cut.
            if (keepEnd && start > 0 && char.IsLowSurrogate(text[start]))
            {
                start++;
                length--;
            }
            if (!keepEnd && length > 0 && char.IsHighSurrogate(text[length - 1]))
            {
                length--;
            }
            text = text.Substring(start, Math.Max(0, length));
        }
        if (IsClean(text))
        {
            return text;
        }
        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean.Append(text, i++, 2);
            }
            else
            {
                clean.Append(text[i] == '\0' || char.IsSurrogate(text[i]) ? '\uFFFD' : text[i]);
            }
        }
        return clean.ToString();
    }
}
