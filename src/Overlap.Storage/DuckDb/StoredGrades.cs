using System.Text;
using System.Text.Json;

namespace Overlap.Storage.DuckDb;

/// <summary>A decision's rubric grades as stored: a JSON object of criterion name to grade.</summary>
internal static class StoredGrades
{
    public static string? Write(IReadOnlyDictionary<string, int>? grades)
    {
        if (grades is null)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, grade) in grades.OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                writer.WriteNumber(name, grade);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static IReadOnlyDictionary<string, int> Read(string stored)
    {
        using var json = JsonDocument.Parse(stored);
        return json
            .RootElement.EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.Ordinal);
    }
}
