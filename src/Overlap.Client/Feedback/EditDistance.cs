namespace Overlap.Client;

/// <summary>The Levenshtein distance between two texts.</summary>
public static class EditDistance
{
    /// <summary>
    /// The fewest single-character insertions, deletions and substitutions (of UTF-16 characters, compared ordinally)
    /// that turn <paramref name="from"/> into <paramref name="to"/>: 0 for equal texts, the other's length when one is
    /// empty. Two rows of the classic dynamic programme: time O(m·n), memory O(min(m, n)).
    /// </summary>
    public static int Levenshtein(string from, string to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (from.Length < to.Length)
        {
            (from, to) = (to, from);
        }
        var previous = new int[to.Length + 1];
        var current = new int[to.Length + 1];
        for (var j = 0; j <= to.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= from.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= to.Length; j++)
            {
                var substitute = previous[j - 1] + (from[i - 1] == to[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[to.Length];
    }
}
