using System.Globalization;
using System.Text;

namespace Overlap.Storage.ClickHouse;

/// <summary>
/// The one place values become ClickHouse SQL: string literals escaped as ClickHouse reads them, numbers in the
/// invariant culture, names checked before they are quoted. Nothing else writes a value into a query.
/// </summary>
internal static class ClickHouseSql
{
    /// <summary>A string literal: quoted, with backslash, quote and control characters escaped.</summary>
    public static string Literal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            text.Append(
                c switch
                {
                    '\\' => "\\\\",
                    '\'' => "\\'",
                    '\0' => "\\0",
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    _ => c.ToString(),
                }
            );
        }
        return text.Append('\'').ToString();
    }

    /// <summary>A whole number literal.</summary>
    public static string Literal(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A double, exactly: its bits reinterpreted (ClickHouse 18.16 parses decimal text with a fast reader that can miss
    /// the nearest double by one unit, and a bin edge computed from it would then differ from the instance's).
    /// </summary>
    public static string Literal(double value) =>
        $"reinterpretAsFloat64(reinterpretAsString(toUInt64({BitConverter.DoubleToUInt64Bits(value).ToString(CultureInfo.InvariantCulture)})))";

    /// <summary>A list of string literals for <c>IN (…)</c>; callers give at least one value (SQL has no empty list).</summary>
    public static string List(IEnumerable<string> values)
    {
        var items = string.Join(", ", values.Select(Literal));
        return items.Length > 0 ? items : throw new ArgumentException("an IN list needs a value", nameof(values));
    }

    /// <summary>Whether <paramref name="name"/> can name a database or cluster: letters, digits and underscores, not
    /// starting with a digit.</summary>
    public static bool IsPlainName(string name) =>
        name.Length is > 0 and <= 128
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
