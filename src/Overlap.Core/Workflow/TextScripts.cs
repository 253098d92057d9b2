using System.Text;

namespace Overlap.Core.Workflow;

/// <summary>
/// The scripts (alphabets) a workflow's text expectation can name, by Unicode block. This is a script check, not
/// language detection: English and French are both latin; a text is in a script when most of its letters are.
/// </summary>
public static class TextScripts
{
    // Declared once: each script's name and the code point ranges of its letters.
    private static readonly (string Name, (int From, int To)[] Ranges)[] Table =
    [
        ("latin", [(0x41, 0x5A), (0x61, 0x7A), (0xAA, 0xAA), (0xBA, 0xBA), (0xC0, 0x24F), (0x1E00, 0x1EFF)]),
        ("greek", [(0x370, 0x3FF), (0x1F00, 0x1FFF)]),
        ("cyrillic", [(0x400, 0x52F)]),
        ("armenian", [(0x530, 0x58F)]),
        ("hebrew", [(0x590, 0x5FF)]),
        ("arabic", [(0x600, 0x6FF), (0x750, 0x77F), (0x8A0, 0x8FF)]),
        ("devanagari", [(0x900, 0x97F)]),
        ("thai", [(0xE00, 0xE7F)]),
        ("hangul", [(0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF)]),
        ("japanese", [(0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)]),
        ("han", [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)]),
    ];

    /// <summary>The share of a text's letters that must be in the named script for the text to pass.</summary>
    public const double MinShare = 0.9;

    /// <summary>Every script name, in the order the documentation lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Table.Select(t => t.Name)];

    /// <summary>The index of a script name, or -1.</summary>
    public static int IndexOf(string name)
    {
        for (var i = 0; i < Table.Length; i++)
        {
            if (string.Equals(Table[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>
    /// How many letters <paramref name="text"/> has, and how many of them are in script number
    /// <paramref name="script"/> (from <see cref="IndexOf"/>). Digits, spaces, punctuation and emoji are not letters.
    /// </summary>
    public static (int Letters, int InScript) Count(string text, int script)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ranges = Table[script].Ranges;
        int letters = 0,
            inScript = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (!Rune.IsLetter(rune))
            {
                continue;
            }
            letters++;
            var v = rune.Value;
            foreach (var (from, to) in ranges)
            {
                if (v >= from && v <= to)
                {
                    inScript++;
                    break;
                }
            }
        }
        return (letters, inScript);
    }
}
