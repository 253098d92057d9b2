namespace Overlap.Storage;

/// <summary>
/// Keeps one string per distinct value read, up to a limit, so a column that repeats a few values over a million rows
/// holds a few strings rather than a million copies. Past the limit (a column of distinct values) strings pass through.
/// </summary>
internal sealed class TextPool
{
    private const int Limit = 100_000;
    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);

    public string Intern(string value)
    {
        if (_strings.TryGetValue(value, out var known))
        {
            return known;
        }
        if (_strings.Count < Limit)
        {
            _strings.Add(value);
        }
        return value;
    }
}
