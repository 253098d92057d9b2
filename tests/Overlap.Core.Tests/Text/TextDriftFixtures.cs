using System.Text.Json;

namespace Overlap.Core.Tests.Text;

/// <summary>Reads Fixtures/text/text_fixtures.json (written by make_text_fixtures.py beside it).</summary>
internal static class TextDriftFixtures
{
    private static readonly Lazy<JsonElement> Root = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "text", "text_fixtures.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    });

    public static JsonElement Get(string section) => Root.Value.GetProperty(section);

    /// <summary>The figure, with JSON null read as NaN (a descriptor that has no value for a text).</summary>
    public static double NumberOrNaN(this JsonElement e, string name) =>
        e.GetProperty(name).ValueKind == JsonValueKind.Null ? double.NaN : e.GetProperty(name).GetDouble();
}
