using System.Globalization;

namespace Overlap.Core.Monitoring;

/// <summary>
/// Counts what a report left out by reason, keeping at most <see cref="MaxReasons"/> distinct reasons (the rest are
/// counted under one "other reasons" line), so a window full of distinct bad values stays a short list.
/// </summary>
public sealed class LeftOutTally
{
    /// <summary>The most distinct reasons kept; further ones are counted together.</summary>
    public const int MaxReasons = 20;

    /// <summary>The reason under which reasons past <see cref="MaxReasons"/> are counted.</summary>
    public const string OtherReasons = "other reasons (only the first 20 distinct reasons are listed)";

    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    /// <summary>How many rows or values were left out in all.</summary>
    public long Total { get; private set; }

    /// <summary>Counts <paramref name="count"/> rows or values left out for <paramref name="reason"/>.</summary>
    public void Add(string reason, long count = 1)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return;
        }
        var key = _counts.ContainsKey(reason) || _counts.Count < MaxReasons ? reason : OtherReasons;
        _counts[key] = _counts.GetValueOrDefault(key) + count;
        Total += count;
    }

    /// <summary>Adds every count of <paramref name="leftOut"/>.</summary>
    public void Add(IEnumerable<LeftOut>? leftOut)
    {
        foreach (var item in leftOut ?? [])
        {
            Add(item.Reason, item.Count);
        }
    }

    /// <summary>The counts, largest first (then by reason); null when nothing was left out, so reports omit it.</summary>
    public IReadOnlyList<LeftOut>? ToList() =>
        _counts.Count == 0
            ? null
            :
            [
                .. _counts
                    .OrderByDescending(c => c.Value)
                    .ThenBy(c => c.Key, StringComparer.Ordinal)
                    .Select(c => new LeftOut(c.Value, c.Key)),
            ];

    /// <summary>
    /// A value as a reason quotes it: at most 40 characters, with a NUL, a lone surrogate or another control
    /// character shown as U+FFFD, so the reason itself is always valid text for JSON and HTML.
    /// </summary>
    public static string Show(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var shown = TextRepair.Repair(value, controls: true).Text;
        return shown.Length <= 40 ? shown : string.Concat(shown.AsSpan(0, 37), "...");
    }

    /// <summary>A number as a reason quotes it (invariant culture, "Infinity" for ∞).</summary>
    public static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
