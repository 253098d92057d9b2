using System.Text.Json;
using System.Text.RegularExpressions;

namespace Overlap.Storage.ClickHouse;

/// <summary>
/// Named values read out of a stored JSON object (a prediction's attributes or inputs), by the rules the embedded store
/// applies in SQL: a string is its text, another value its JSON text, a missing key or JSON null is null. Text that
/// does
/// not parse as it is gets its surrogate escapes (a lone <c>\ud800</c>) read as U+FFFD; what still does not parse has
/// no values.
/// </summary>
internal static partial class JsonAttributes
{
    /// <summary>The values of <paramref name="names"/> in <paramref name="json"/>, by position; null where
    /// absent.</summary>
    public static string?[] Read(string? json, IReadOnlyList<string> names)
    {
        var values = new string?[names.Count];
        if (json is null || names.Count == 0)
        {
            return values;
        }
        if (!TryRead(json, names, values) && !TryRead(SurrogateEscape().Replace(json, "\\uFFFD"), names, values))
        {
            Array.Clear(values);
        }
        return values;
    }

    private static bool TryRead(string json, IReadOnlyList<string> names, string?[] values)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return true;
            }
            for (var i = 0; i < names.Count; i++)
            {
                values[i] = null;
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.NameEquals(names[i]))
                    {
                        values[i] = property.Value.ValueKind switch
                        {
                            JsonValueKind.String => property.Value.GetString(),
                            JsonValueKind.Null => null,
                            _ => property.Value.GetRawText(),
                        };
                        break;
                    }
                }
            }
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    [GeneratedRegex("\\\\u[dD][89a-fA-F][0-9a-fA-F]{2}")]
    private static partial Regex SurrogateEscape();
}
