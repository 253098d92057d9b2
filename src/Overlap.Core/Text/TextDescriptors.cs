using System.Text;

namespace Overlap.Core.Text;

/// <summary>
/// Simple facts about a text that drift can be measured on: its length, its words, the share of its letters outside
/// ASCII and a guess at its language. A word is a run of letters and digits (Unicode letters and numbers), lowered
/// to invariant lower case; everything else separates words.
/// </summary>
public static class TextDescriptors
{
    /// <summary>The length in characters (Unicode code points, as Python's <c>len</c> counts them).</summary>
    public static int Length(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }
        return count;
    }

    /// <summary>The words of the text, lower-cased, in order.</summary>
    public static List<string> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetter(rune) || Rune.IsNumber(rune))
            {
                word.Append(Rune.ToLowerInvariant(rune).ToString());
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }
        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }
        return words;
    }

    /// <summary>The share of the text's letters that are not ASCII (é, ß, я, 中 …); NaN when it has no letters.</summary>
    public static double NonAsciiLetterShare(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int letters = 0,
            nonAscii = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetter(rune))
            {
                letters++;
                nonAscii += rune.IsAscii ? 0 : 1;
            }
        }
        return letters == 0 ? double.NaN : (double)nonAscii / letters;
    }

    /// <summary>
    /// The share of <paramref name="words"/> that a vocabulary does not know. <paramref name="rowsWithWord"/> gives,
    /// per word, the number of reference texts it occurs in. A text of the reference itself passes
    /// <paramref name="ownRow"/> true, so a word counts as unknown when no other reference text has it (leave one
    /// out: otherwise every reference text would know all its own words). NaN when there are no words.
    /// </summary>
    public static double UnknownWordShare(
        IReadOnlyList<string> words,
        IReadOnlyDictionary<string, int> rowsWithWord,
        bool ownRow
    )
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(rowsWithWord);
        if (words.Count == 0)
        {
            return double.NaN;
        }
        var known = ownRow ? 1 : 0;
        var unknown = words.Count(w => rowsWithWord.GetValueOrDefault(w) <= known);
        return (double)unknown / words.Count;
    }

    /// <summary>
    /// The number of texts each word occurs in (a word counted once per text), over the given texts.
    /// </summary>
    public static Dictionary<string, int> RowsWithWord(IEnumerable<IReadOnlyList<string>> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var words in texts)
        {
            foreach (var w in words.Distinct(StringComparer.Ordinal))
            {
                counts[w] = counts.GetValueOrDefault(w) + 1;
            }
        }
        return counts;
    }
}
