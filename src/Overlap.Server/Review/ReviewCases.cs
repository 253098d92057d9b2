using System.Text;
using System.Text.Json;
using Overlap.Core.Contracts;
using Overlap.Storage;

namespace Overlap.Server.Review;

/// <summary>
/// Production outputs to keep as evaluation cases, as JSON Lines in the columns the feature's contract names, so
/// <c>overlap eval</c> reads them: the outputs a person failed on any criterion, or the user gave a thumbs_down or
/// regenerated (tagged <c>rejected</c>, <c>thumbs_down</c>, <c>regenerated</c>), and the edge cases two reviewers
/// disagreed on (tagged <c>disagreement</c>), with people's grades in <c>rubric.&lt;name&gt;</c>.
/// </summary>
internal static class ReviewCases
{
    /// <summary>The cases, one JSON object a line; outputs whose only news is passing grades are left out.</summary>
    public static string Write(Contract contract, IReadOnlyList<ReviewedOutput> outputs)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(outputs);
        var rubric = DecisionGrades.RubricOf(contract) ?? [];
        var columns = contract.Columns;
        var text = new StringBuilder();
        foreach (var o in outputs)
        {
            var failed = o.Grades is { } g && !DecisionGrades.AllPass(rubric, g);
            string[] tags =
            [
                .. failed ? ["rejected"] : Array.Empty<string>(),
                .. o.Feedback,
                .. o.Disagreement ? ["disagreement"] : Array.Empty<string>(),
            ];
            if (tags.Length == 0)
            {
                continue;
            }
            using var inputs = Parse(o.Inputs);
            using var attributes = Parse(o.Attributes);
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteString(columns.Id ?? "id", o.PredictionId);
                w.WriteString(columns.Input ?? "input", InputText(inputs, columns.Input));
                w.WriteString(columns.Output ?? "output", o.Output);
                if (columns.Reference is { } reference && Field(attributes, reference) is { } referenceText)
                {
                    w.WriteString(reference, referenceText);
                }
                foreach (var segment in columns.Segments)
                {
                    w.WriteString(segment, Field(attributes, segment) ?? Field(inputs, segment));
                }
                w.WriteStartArray(columns.Tags ?? "tags");
                foreach (var tag in tags)
                {
                    w.WriteStringValue(tag);
                }
                w.WriteEndArray();
                foreach (var criterion in rubric)
                {
                    if (o.Grades?.TryGetValue(criterion.Name, out var grade) == true)
                    {
                        var name = "rubric." + criterion.Name;
                        if (DecisionGrades.Shown(criterion, grade) is string word)
                        {
                            w.WriteString(name, word);
                        }
                        else
                        {
                            w.WriteNumber(name, grade);
                        }
                    }
                }
                w.WriteEndObject();
            }
            text.Append(Encoding.UTF8.GetString(buffer.ToArray())).Append('\n');
        }
        return text.ToString();
    }

    public static JsonDocument? Parse(string? json)
    {
        try
        {
            return json is null ? null : JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A field of a JSON object as text: a string as it is, another value as its JSON.</summary>
    private static string? Field(JsonDocument? json, string name) =>
        json?.RootElement is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v)
            ? v.ValueKind == JsonValueKind.String
                ? v.GetString()
                : v.GetRawText()
            : null;

    /// <summary>
    /// What the feature was asked: the input column if the inputs carry it, else the last user message (what
    /// <c>UseOverlap()</c> and OTLP write), else the inputs as JSON.
    /// </summary>
    public static string? InputText(JsonDocument? inputs, string? column)
    {
        if (column is not null && Field(inputs, column) is { } named)
        {
            return named;
        }
        if (
            inputs?.RootElement is { ValueKind: JsonValueKind.Object } o
            && o.TryGetProperty("messages", out var messages)
            && messages.ValueKind == JsonValueKind.Array
        )
        {
            var user = messages
                .EnumerateArray()
                .LastOrDefault(m =>
                    m.ValueKind == JsonValueKind.Object
                    && m.TryGetProperty("role", out var role)
                    && role.ValueKind == JsonValueKind.String
                    && role.GetString() == "user"
                    && m.TryGetProperty("text", out var t)
                    && t.ValueKind == JsonValueKind.String
                );
            if (user.ValueKind == JsonValueKind.Object)
            {
                return user.GetProperty("text").GetString();
            }
        }
        return inputs?.RootElement.GetRawText();
    }
}
