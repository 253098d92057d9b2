using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Overlap.Events;
using Overlap.Server.Otlp.Wire;

namespace Overlap.Server.Otlp;

/// <summary>
/// Turns the generative spans of a trace export into prediction events, following the OpenTelemetry GenAI semantic
/// conventions. A span is generative when its <c>gen_ai.operation.name</c> is chat, text_completion or
/// generate_content; other spans are skipped (not refused). Each becomes NDJSON that <see cref="EventParser"/> then
/// checks like any event sent to <c>/v1/events</c>, so both doors refuse the same things with the same words.
/// </summary>
internal static class SpanPredictions
{
    private static readonly HashSet<string> Generative = new(StringComparer.Ordinal)
    {
        "chat",
        "text_completion",
        "generate_content",
    };

    /// <summary>The events as NDJSON (one line per generative span, in order), which span each line came from, and the spans refused before.</summary>
    public static (byte[] Ndjson, List<string> Spans, List<string> Refused) Map(ExportTraceServiceRequest request)
    {
        var output = new ArrayBufferWriter<byte>();
        var spans = new List<string>();
        var refused = new List<string>();
        using var w = new Utf8JsonWriter(output);
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var resource = (IEnumerable<KeyValue>?)resourceSpans.Resource?.Attributes ?? [];
            var service = Find(resource, "service.name")?.StringValue;
            foreach (var span in resourceSpans.ScopeSpans.SelectMany(s => s.Spans))
            {
                var attributes = span.Attributes;
                if (
                    Find(attributes, "gen_ai.operation.name")?.StringValue is not { } operation
                    || !Generative.Contains(operation)
                )
                {
                    continue;
                }
                var name = Name(span);
                // overlap.* attributes of the span, else of its resource (an app sets them once for the service there).
                var overlap = attributes
                    .Concat(resource)
                    .Where(kv => kv.Key.StartsWith("overlap.", StringComparison.Ordinal));
                var feature = Find(overlap, "overlap.feature")?.StringValue ?? service;
                if (Refusal(span, feature) is { } reason)
                {
                    refused.Add($"{name}: {reason}");
                    continue;
                }
                Write(w, span, feature!, [.. overlap]);
                w.Flush();
                output.Write("\n"u8);
                w.Reset(output);
                spans.Add(name);
            }
        }
        return (output.WrittenSpan.ToArray(), spans, refused);
    }

    /// <summary>The span as people can find it: its name and ids.</summary>
    private static string Name(Span span) =>
        $"span '{span.Name}' ({Convert.ToHexStringLower(span.SpanId.Span)} in trace {Convert.ToHexStringLower(span.TraceId.Span)})";

    private static string? Refusal(Span span, string? feature) =>
        feature is null
            ? "no feature: set the span attribute overlap.feature or the resource attribute service.name to the feature's name"
        : span.TraceId.Length != 16 || span.TraceId.Span.IndexOfAnyExcept((byte)0) < 0
            ? "its trace id is not 16 bytes (32 hex digits), not all zero"
        : span.SpanId.Length != 8 || span.SpanId.Span.IndexOfAnyExcept((byte)0) < 0
            ? "its span id is not 8 bytes (16 hex digits), not all zero"
        : span.StartTimeUnixNano == 0 ? "it has no start time"
        : span.EndTimeUnixNano < span.StartTimeUnixNano ? "it ends before it starts"
        : null;

    private static void Write(Utf8JsonWriter w, Span span, string feature, List<KeyValue> overlap)
    {
        var a = span.Attributes;
        w.WriteStartObject();
        w.WriteString("type", "prediction");
        w.WriteString("id", Convert.ToHexStringLower(span.TraceId.Span) + Convert.ToHexStringLower(span.SpanId.Span));
        w.WriteString("feature", feature);
        w.WriteString(
            "time",
            DateTimeOffset
                .UnixEpoch.AddTicks((long)(span.StartTimeUnixNano / 100))
                .ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)
        );
        w.WriteNumber("latency_ms", (span.EndTimeUnixNano - span.StartTimeUnixNano) / 1e6);
        var prompt = Find(overlap, "overlap.prompt.name")?.StringValue;
        var version = Text(Find(overlap, "overlap.prompt.version"));
        if (prompt is { Length: > 0 })
        {
            w.WriteString("model_version", version is null ? prompt : $"{prompt}@{version}");
        }
        WriteText(
            w,
            "model",
            Find(a, "gen_ai.response.model")?.StringValue ?? Find(a, "gen_ai.request.model")?.StringValue
        );
        WriteNumber(w, "input_tokens", Find(a, "gen_ai.usage.input_tokens"));
        WriteNumber(w, "output_tokens", Find(a, "gen_ai.usage.output_tokens"));
        WriteText(w, "conversation_id", Find(a, "gen_ai.conversation.id")?.StringValue);
        WriteNumber(w, "cost", Find(overlap, "overlap.cost"));
        WriteWorkflow(w, overlap);
        if (Find(a, "gen_ai.output.messages")?.StringValue is { } output)
        {
            w.WriteString("output", OutputText(output));
        }
        if (span.Status?.Code == StatusCode.Error)
        {
            w.WriteString("error", Find(a, "error.type")?.StringValue is { Length: > 0 } type ? type : "error");
        }
        var input = Find(a, "gen_ai.input.messages")?.StringValue;
        var system = Find(a, "gen_ai.system_instructions")?.StringValue;
        if (input is not null || system is not null)
        {
            w.WritePropertyName("inputs");
            WriteInputs(w, system, input);
        }
        var segments = overlap
            .Where(kv => kv.Key.StartsWith("overlap.segment.", StringComparison.Ordinal))
            .DistinctBy(kv => kv.Key, StringComparer.Ordinal)
            .ToList();
        var responseId = Find(a, "gen_ai.response.id")?.StringValue;
        if (segments.Count > 0 || responseId is not null)
        {
            w.WriteStartObject("attributes");
            foreach (var kv in segments)
            {
                w.WriteString(kv.Key["overlap.segment.".Length..], Text(kv.Value) ?? "");
            }
            WriteText(w, "gen_ai.response.id", responseId);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>The text parts of the output messages ([{"role":…,"parts":[{"type":"text","content":…}]}]), one message a line.</summary>
    private static string OutputText(string messages) =>
        Messages(messages) is { } parsed ? string.Join("\n", parsed.Select(m => m.Text)) : messages;

    /// <summary>{"messages":[{"role":…,"text":…}]} from the instructions and input messages; text that is not the conventions' JSON is kept whole.</summary>
    private static void WriteInputs(Utf8JsonWriter w, string? system, string? input)
    {
        w.WriteStartObject();
        w.WriteStartArray("messages");
        if (system is not null)
        {
            w.WriteStartObject();
            w.WriteString("role", "system");
            w.WriteString("text", Parts(system) ?? system);
            w.WriteEndObject();
        }
        if (input is not null)
        {
            foreach (var (role, text) in Messages(input) ?? [("", input)])
            {
                w.WriteStartObject();
                w.WriteString("role", role);
                w.WriteString("text", text);
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Each message's role and the text of its text parts; null when the text is not an array of messages.</summary>
    private static List<(string Role, string Text)>? Messages(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return null;
            }
            var messages = new List<(string, string)>();
            foreach (var message in document.RootElement.EnumerateArray())
            {
                if (message.ValueKind != JsonValueKind.Object)
                {
                    return null;
                }
                var role =
                    message.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String
                        ? r.GetString()!
                        : "";
                messages.Add((role, message.TryGetProperty("parts", out var parts) ? TextOf(parts) : ""));
            }
            return messages;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The text of an array of parts ([{"type":"text","content":…}]); null when it is not one.</summary>
    private static string? Parts(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Array ? TextOf(document.RootElement) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string TextOf(JsonElement parts)
    {
        var text = new StringBuilder();
        if (parts.ValueKind != JsonValueKind.Array)
        {
            return "";
        }
        foreach (var part in parts.EnumerateArray())
        {
            if (
                part.ValueKind == JsonValueKind.Object
                && part.TryGetProperty("type", out var type)
                && type.ValueKind == JsonValueKind.String
                && type.GetString() == "text"
                && part.TryGetProperty("content", out var content)
                && content.ValueKind == JsonValueKind.String
            )
            {
                text.Append(content.GetString());
            }
        }
        return text.ToString();
    }

    private static AnyValue? Find(IEnumerable<KeyValue>? attributes, string key) =>
        attributes?.FirstOrDefault(kv => kv.Key == key)?.Value;

    private static string? Text(AnyValue? value) =>
        value?.ValueCase switch
        {
            AnyValue.ValueOneofCase.StringValue => value.StringValue,
            AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
            AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString("R", CultureInfo.InvariantCulture),
            AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
            _ => null,
        };

    /// <summary>
    /// The <c>workflow</c> object from <c>overlap.workflow.route</c>, <c>.attempts</c>, <c>.failed_checks</c> (a list of
    /// strings) and <c>.reason</c>, when the span names a route; written as sent, so the event parser refuses a bad one
    /// naming the field.
    /// </summary>
    private static void WriteWorkflow(Utf8JsonWriter w, List<KeyValue> overlap)
    {
        if (Find(overlap, "overlap.workflow.route") is not { } route)
        {
            return;
        }
        w.WriteStartObject("workflow");
        w.WriteString("route", Text(route) ?? "");
        WriteNumber(w, "attempts", Find(overlap, "overlap.workflow.attempts"));
        if (Find(overlap, "overlap.workflow.failed_checks") is { } checks)
        {
            if (checks.ValueCase == AnyValue.ValueOneofCase.ArrayValue)
            {
                w.WriteStartArray("failed_checks");
                foreach (var check in checks.ArrayValue.Values)
                {
                    w.WriteStringValue(Text(check) ?? "");
                }
                w.WriteEndArray();
            }
            else
            {
                w.WriteString("failed_checks", Text(checks) ?? "");
            }
        }
        WriteText(w, "reason", Text(Find(overlap, "overlap.workflow.reason")));
        w.WriteEndObject();
    }

    private static void WriteText(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    /// <summary>A number as sent; text, NaN or a list is written as text, so the parser refuses it naming the field.</summary>
    private static void WriteNumber(Utf8JsonWriter w, string name, AnyValue? value)
    {
        switch (value?.ValueCase)
        {
            case AnyValue.ValueOneofCase.IntValue:
                w.WriteNumber(name, value.IntValue);
                break;
            case AnyValue.ValueOneofCase.DoubleValue when double.IsFinite(value.DoubleValue):
                w.WriteNumber(name, value.DoubleValue);
                break;
            case null:
                break;
            default:
                w.WriteString(name, Text(value) ?? value.ValueCase.ToString());
                break;
        }
    }
}
