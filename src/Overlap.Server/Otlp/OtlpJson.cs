using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Overlap.Server.Otlp.Wire;

namespace Overlap.Server.Otlp;

/// <summary>
/// Reads an ExportTraceServiceRequest in the OTLP/JSON encoding (OTLP spec, "JSON Protobuf Encoding"): field names in
/// lowerCamelCase, trace and span ids as hex, 64-bit integers as numbers or decimal text, enums as integers; fields it
/// does not know are skipped. Only what <see cref="SpanPredictions"/> reads is kept.
/// </summary>
internal static class OtlpJson
{
    /// <exception cref="OtlpFormatException">Not JSON, or a field of the wrong kind; the message names it.</exception>
    public static ExportTraceServiceRequest Read(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new OtlpFormatException(
                $"the body is not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1})"
            );
        }
        using (document)
        {
            var request = new ExportTraceServiceRequest();
            var root = Object(document.RootElement, "the body");
            foreach (var (rs, i) in Items(root, "resourceSpans", "the body"))
            {
                var where = $"resourceSpans[{i}]";
                var resourceSpans = new ResourceSpans { Resource = new Resource() };
                if (Field(Object(rs, where), "resource") is { } resource)
                {
                    resourceSpans.Resource.Attributes.AddRange(
                        Attributes(Object(resource, $"{where}.resource"), $"{where}.resource")
                    );
                }
                foreach (var (ss, j) in Items(rs, "scopeSpans", where))
                {
                    var scope = new ScopeSpans();
                    foreach (
                        var (span, k) in Items(
                            Object(ss, $"{where}.scopeSpans[{j}]"),
                            "spans",
                            $"{where}.scopeSpans[{j}]"
                        )
                    )
                    {
                        scope.Spans.Add(
                            Span(
                                Object(span, $"{where}.scopeSpans[{j}].spans[{k}]"),
                                $"{where}.scopeSpans[{j}].spans[{k}]"
                            )
                        );
                    }
                    resourceSpans.ScopeSpans.Add(scope);
                }
                request.ResourceSpans.Add(resourceSpans);
            }
            return request;
        }
    }

    private static Span Span(JsonElement e, string where)
    {
        var span = new Span
        {
            TraceId = Id(e, "traceId"),
            SpanId = Id(e, "spanId"),
            Name = Text(e, "name", where) ?? "",
            StartTimeUnixNano = Unsigned(e, "startTimeUnixNano", where),
            EndTimeUnixNano = Unsigned(e, "endTimeUnixNano", where),
        };
        span.Attributes.AddRange(Attributes(e, where));
        if (Field(e, "status") is { } status)
        {
            var s = Object(status, $"{where}.status");
            span.Status = new SpanStatus
            {
                Message = Text(s, "message", $"{where}.status") ?? "",
                Code = (StatusCode)(int)Signed(s, "code", $"{where}.status"),
            };
        }
        return span;
    }

    /// <summary>A hex id as its bytes; one that is not hex is kept empty, so the span is refused on its own with a reason.</summary>
    private static ByteString Id(JsonElement e, string name)
    {
        if (Field(e, name) is not { ValueKind: JsonValueKind.String } value)
        {
            return ByteString.Empty;
        }
        try
        {
            return ByteString.CopyFrom(Convert.FromHexString(value.GetString()!));
        }
        catch (Exception bad) when (bad is FormatException or InvalidOperationException)
        {
            return ByteString.Empty;
        }
    }

    private static IEnumerable<KeyValue> Attributes(JsonElement owner, string where) =>
        Pairs(owner, "attributes", where);

    private static IEnumerable<KeyValue> Pairs(JsonElement owner, string name, string where) =>
        Items(owner, name, where)
            .Select(x =>
            {
                var at = $"{where}.{name}[{x.Index}]";
                var kv = Object(x.Item, at);
                return new KeyValue
                {
                    Key = Text(kv, "key", at) ?? "",
                    Value = Field(kv, "value") is { } v
                        ? Value(Object(v, $"{at}.value"), $"{at}.value")
                        : new AnyValue(),
                };
            });

    private static AnyValue Value(JsonElement e, string where)
    {
        var value = new AnyValue();
        foreach (var p in e.EnumerateObject())
        {
            switch (p.Name)
            {
                case "stringValue":
                    value.StringValue = Text(e, p.Name, where) ?? "";
                    break;
                case "boolValue":
                    value.BoolValue =
                        p.Value.ValueKind == JsonValueKind.True
                        || (
                            p.Value.ValueKind != JsonValueKind.False
                                ? throw Wrong(where, p.Name, "true or false")
                                : false
                        );
                    break;
                case "intValue":
                    value.IntValue = Signed(e, p.Name, where);
                    break;
                case "doubleValue":
                    value.DoubleValue =
                        p.Value.ValueKind == JsonValueKind.Number
                            ? p.Value.GetDouble()
                            : throw Wrong(where, p.Name, "a number");
                    break;
                case "arrayValue":
                    var array = new ArrayValue();
                    array.Values.AddRange(
                        Items(Object(p.Value, $"{where}.arrayValue"), "values", $"{where}.arrayValue")
                            .Select(x =>
                                Value(
                                    Object(x.Item, $"{where}.arrayValue.values[{x.Index}]"),
                                    $"{where}.arrayValue.values[{x.Index}]"
                                )
                            )
                    );
                    value.ArrayValue = array;
                    break;
                case "kvlistValue":
                    var list = new KeyValueList();
                    list.Values.AddRange(
                        Pairs(Object(p.Value, $"{where}.kvlistValue"), "values", $"{where}.kvlistValue")
                    );
                    value.KvlistValue = list;
                    break;
            }
        }
        return value;
    }

    private static JsonElement? Field(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static JsonElement Object(JsonElement e, string where) =>
        e.ValueKind == JsonValueKind.Object ? e : throw new OtlpFormatException($"{where} must be a JSON object");

    private static IEnumerable<(JsonElement Item, int Index)> Items(JsonElement e, string name, string where)
    {
        if (Field(e, name) is not { } array)
        {
            return [];
        }
        return array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select((item, i) => (item, i))
            : throw Wrong(where, name, "an array");
    }

    private static string? Text(JsonElement e, string name, string where) =>
        Field(e, name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } s => Decoded(s, where, name),
            _ => throw Wrong(where, name, "text"),
        };

    private static string Decoded(JsonElement s, string where, string name)
    {
        try
        {
            return s.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw Wrong(where, name, "valid Unicode text (it holds a lone surrogate such as \\ud800)");
        }
    }

    private static long Signed(JsonElement e, string name, string where) =>
        Field(e, name) switch
        {
            null => 0,
            { ValueKind: JsonValueKind.Number } n when n.TryGetInt64(out var v) => v,
            { ValueKind: JsonValueKind.String } s
                when long.TryParse(
                    s.GetString(),
                    NumberStyles.AllowLeadingSign,
                    CultureInfo.InvariantCulture,
                    out var v
                ) => v,
            _ => throw Wrong(where, name, "a whole number (or one written as text)"),
        };

    private static ulong Unsigned(JsonElement e, string name, string where) =>
        Field(e, name) switch
        {
            null => 0,
            { ValueKind: JsonValueKind.Number } n when n.TryGetUInt64(out var v) => v,
            { ValueKind: JsonValueKind.String } s
                when ulong.TryParse(s.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) => v,
            _ => throw Wrong(where, name, "nanoseconds since 1970 as a whole number (or one written as text)"),
        };

    private static OtlpFormatException Wrong(string where, string name, string what) =>
        new($"{where}.{name} must be {what}");
}
