using System.Text.Json;
using System.Text.Json.Serialization;
using Overlap.Core.Evaluation;

namespace Overlap.Core.Reports;

/// <summary>Verdicts as "pass", "fail", "inconclusive", "skipped".</summary>
internal sealed class VerdictConverter : JsonConverter<Verdict>
{
    public override Verdict Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetString() switch
        {
            "pass" => Verdict.Pass,
            "fail" => Verdict.Fail,
            "inconclusive" => Verdict.Inconclusive,
            "skipped" => Verdict.Skipped,
            var other => throw new JsonException($"unknown verdict '{other}'"),
        };

    public override void Write(Utf8JsonWriter writer, Verdict value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString().ToLowerInvariant());
}
