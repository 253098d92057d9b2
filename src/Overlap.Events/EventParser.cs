using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Overlap.Events;

/// <summary>
/// Reads a batch of events sent as a JSON array or as NDJSON (one object per line) and checks each on its own:
/// a bad event is refused with its index and the reason, the others are kept. Field names are snake_case as in
/// docs/api.md. Every text, at any depth (ids, labels, keys and values of attributes and inputs), must be valid UTF-8
/// with no NUL and no lone surrogate: a store cannot keep such text faithfully. The whole batch is refused only when it
/// is not JSON at all (<see cref="EventFormatException"/>); invalid UTF-8 inside one NDJSON line refuses that line alone.
/// </summary>
public static partial class EventParser
{
    /// <summary>Longest id accepted, in characters.</summary>
    public const int MaxIdLength = 200;

    /// <summary>Parses and checks a batch.</summary>
    /// <exception cref="EventFormatException">The body is neither a JSON array of objects nor NDJSON.</exception>
    public static EventBatch Parse(ReadOnlyMemory<byte> body)
    {
        var span = body.Span;
        var start = 0;
        while (
            start < span.Length
            && (
                span[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'
                || (start == 0 && span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            )
        )
        {
            start += span[start] == 0xEF ? 3 : 1;
        }
        if (start == span.Length)
        {
            throw new EventFormatException(
                "the body is empty; send a JSON array of events or one JSON object per line (NDJSON)"
            );
        }
        var batch = new EventBatch();
        if (span[start] == (byte)'[')
        {
            ParseArray(body[start..], batch);
        }
        else if (span[start] == (byte)'{')
        {
            ParseLines(body[start..], batch);
        }
        else
        {
            throw new EventFormatException(
                "the body must start with '[' (a JSON array of events) or '{' (one JSON object per line, NDJSON)"
            );
        }
        return batch;
    }

    private static void ParseArray(ReadOnlyMemory<byte> body, EventBatch batch)
    {
        if (InvalidUtf8At(body.Span) is { } bad)
        {
            var line = body.Span[..bad].Count((byte)'\n') + 1;
            var column = bad - (body.Span[..bad].LastIndexOf((byte)'\n') + 1) + 1;
            throw new EventFormatException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"the body is not valid UTF-8 (line {line}, byte {column}); send text encoded as UTF-8, or NDJSON so one bad line does not spoil the rest"
                )
            );
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new EventFormatException(
                $"the body is not valid JSON ({Where(e)}): {Reason(e)}; send a JSON array of event objects, or NDJSON so one bad line does not spoil the rest"
            );
        }
        using (document)
        {
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                Add(element, index++, batch);
            }
            batch.Count = index;
        }
    }

    private static void ParseLines(ReadOnlyMemory<byte> body, EventBatch batch)
    {
        var index = 0;
        var rest = body;
        while (!rest.IsEmpty)
        {
            var newline = rest.Span.IndexOf((byte)'\n');
            var line = newline < 0 ? rest : rest[..newline];
            rest = newline < 0 ? ReadOnlyMemory<byte>.Empty : rest[(newline + 1)..];
            if (line.Span.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }
            if (InvalidUtf8At(line.Span) is { } bad)
            {
                batch.Errors.Add(
                    new EventError(
                        index++,
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"not valid UTF-8 (byte {bad + 1} of the line); send text encoded as UTF-8"
                        )
                    )
                );
                continue;
            }
            try
            {
                using var document = JsonDocument.Parse(line);
                Add(document.RootElement, index, batch);
            }
            catch (JsonException e)
            {
                batch.Errors.Add(new EventError(index, $"not valid JSON ({Reason(e)}); send one JSON object per line"));
            }
            index++;
        }
        batch.Count = index;
    }

    private static void Add(JsonElement element, int index, EventBatch batch)
    {
        try
        {
            batch.Events.Add((index, Read(element)));
        }
        catch (EventFormatException e)
        {
            batch.Errors.Add(new EventError(index, e.Message));
        }
    }

    private static FeatureEvent Read(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new EventFormatException($"an event must be a JSON object, not {Describe(e)}");
        }
        CheckText(e, null);
        var type = RequiredText(e, "type");
        var id = RequiredText(e, "id");
        if (id.Length > MaxIdLength)
        {
            throw new EventFormatException($"'id' is {id.Length} characters long; keep ids to {MaxIdLength}");
        }
        var time = Time(e);
        return type switch
        {
            "prediction" => new PredictionEvent
            {
                Id = id,
                Time = time,
                Feature = Feature(RequiredText(e, "feature")),
                ModelVersion = OptionalText(e, "model_version"),
                Score = Number(e, "score"),
                Prediction = OptionalText(e, "prediction"),
                LatencyMs = NonNegative(e, "latency_ms"),
                Cost = NonNegative(e, "cost"),
                InputsJson = Object(e, "inputs"),
                AttributesJson = Object(e, "attributes"),
                Output = OptionalText(e, "output"),
                InputTokens = Count(e, "input_tokens"),
                OutputTokens = Count(e, "output_tokens"),
                ConversationId = OptionalText(e, "conversation_id"),
                Model = OptionalText(e, "model"),
                Error = OptionalText(e, "error"),
                Workflow = Workflow(e),
            },
            "outcome" => new OutcomeEvent
            {
                Id = id,
                Time = time,
                PredictionId = RequiredText(e, "prediction_id"),
                Feature = OptionalFeature(e),
                Label = RequiredText(e, "label"),
                Source = OptionalText(e, "source"),
            },
            "feedback" => Feedback(e, id, time),
            "business" => new BusinessEvent
            {
                Id = id,
                Time = time,
                Name = RequiredText(e, "name"),
                Value = Number(e, "value")
                    ?? throw new EventFormatException("'value' is missing; a business event needs a number"),
                PredictionId = OptionalText(e, "prediction_id"),
                Feature = OptionalFeature(e),
            },
            _ => throw new EventFormatException(
                $"unknown type '{type}'; use prediction, outcome, feedback or business"
            ),
        };
    }

    private static FeedbackEvent Feedback(JsonElement e, string id, DateTimeOffset time)
    {
        var kind = RequiredText(e, "kind");
        var distance = Count(e, "edit_distance");
        var length = Count(e, "final_length");
        if ((distance ?? length) is not null && kind != FeedbackKinds.Edited)
        {
            throw new EventFormatException(
                $"'edit_distance' and 'final_length' belong to kind 'edited', not '{kind}'; leave them out or send kind 'edited'"
            );
        }
        return new FeedbackEvent
        {
            Id = id,
            Time = time,
            PredictionId = RequiredText(e, "prediction_id"),
            Feature = OptionalFeature(e),
            FeedbackKind = kind,
            EditDistance = distance,
            FinalLength = length,
        };
    }

    /// <summary>
    /// A prediction's <c>workflow</c> object (what the contract's guard did with the call), or null when it is absent:
    /// a known route, attempts from 0 to <see cref="WorkflowTrace.MaxAttempts"/> (1 when left out), the failed checks as
    /// a list of short names, and a reason of bounded length.
    /// </summary>
    private static WorkflowTrace? Workflow(JsonElement e)
    {
        if (!e.TryGetProperty("workflow", out var w) || w.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (w.ValueKind != JsonValueKind.Object)
        {
            throw new EventFormatException(
                $"'workflow' is {Describe(w)}; send an object such as {{\"route\":\"retry\",\"attempts\":2,\"failed_checks\":[\"json_format\"],\"reason\":\"...\"}}"
            );
        }
        var route = OptionalText(w, "route");
        if (string.IsNullOrEmpty(route))
        {
            throw new EventFormatException(
                $"'workflow.route' is missing; say which route the call took: {string.Join(", ", WorkflowRoutes.All)}"
            );
        }
        if (!WorkflowRoutes.All.Contains(route, StringComparer.Ordinal))
        {
            throw new EventFormatException(
                $"'workflow.route' is '{Shorten(route)}'; use one of {string.Join(", ", WorkflowRoutes.All)}"
            );
        }
        long attempts = 1;
        if (w.TryGetProperty("attempts", out var a) && a.ValueKind != JsonValueKind.Null)
        {
            attempts =
                a.ValueKind == JsonValueKind.Number
                && a.TryGetInt64(out var n)
                && n is >= 0 and <= WorkflowTrace.MaxAttempts
                    ? n
                    : throw new EventFormatException(
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"'workflow.attempts' is {Describe(a)}; it must be a whole number from 0 to {WorkflowTrace.MaxAttempts} (how many times the model was asked)"
                        )
                    );
        }
        var reason = OptionalText(w, "reason");
        if (reason?.Length > WorkflowTrace.MaxReasonLength)
        {
            throw new EventFormatException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"'workflow.reason' is {reason.Length:#,0} characters long; keep it to {WorkflowTrace.MaxReasonLength:#,0}"
                )
            );
        }
        return new WorkflowTrace
        {
            Route = route,
            Attempts = (int)attempts,
            FailedChecks = FailedChecks(w),
            Reason = reason,
        };
    }

    private static string[] FailedChecks(JsonElement w)
    {
        if (!w.TryGetProperty("failed_checks", out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        const string Shape = "send a list of check names, such as [\"json_format\"]";
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new EventFormatException($"'workflow.failed_checks' is {Describe(list)}; {Shape}");
        }
        if (list.GetArrayLength() > WorkflowTrace.MaxFailedChecks)
        {
            throw new EventFormatException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"'workflow.failed_checks' lists {list.GetArrayLength()} checks; send at most {WorkflowTrace.MaxFailedChecks}"
                )
            );
        }
        var names = new string[list.GetArrayLength()];
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"'workflow.failed_checks[{i}]'");
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 } name)
            {
                throw new EventFormatException($"{at} is {Describe(item)}; {Shape}");
            }
            if (name.Length > WorkflowTrace.MaxCheckNameLength)
            {
                throw new EventFormatException(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"{at} is {name.Length} characters long; a check's name is at most {WorkflowTrace.MaxCheckNameLength}"
                    )
                );
            }
            names[i++] = name;
        }
        return names;
    }

    /// <summary>The index of the first byte that is not valid UTF-8, or null when all are.</summary>
    private static int? InvalidUtf8At(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return null;
        }
        var chars = new char[bytes.Length];
        Utf8.ToUtf16(bytes, chars, out var read, out _, replaceInvalidSequences: false);
        return read;
    }

    /// <summary>Refuses a NUL or a lone surrogate in any name or text of the event, naming where it is.</summary>
    private static void CheckText(JsonElement element, string? path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var name = Text(property, path);
                    CheckText(property.Value, path is null ? name : $"{path}.{name}");
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    CheckText(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{i++}]"));
                }
                break;
            case JsonValueKind.String:
                string value;
                try
                {
                    value = element.GetString()!;
                }
                catch (InvalidOperationException)
                {
                    throw LoneSurrogate(path);
                }
                CheckText(value, path);
                break;
        }
    }

    private static string Text(JsonProperty property, string? path)
    {
        string name;
        try
        {
            name = property.Name;
        }
        catch (InvalidOperationException)
        {
            throw LoneSurrogate(path is null ? "a name" : $"a name in '{path}'");
        }
        CheckText(name, path is null ? "a name" : $"a name in '{path}'");
        return name;
    }

    private static void CheckText(string text, string? path)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new EventFormatException(
                $"'{path}' holds a NUL character (U+0000, \\u0000); text cannot hold it, so remove it"
            );
        }
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                throw LoneSurrogate(path);
            }
        }
    }

    private static EventFormatException LoneSurrogate(string? path) =>
        new($"'{path}' holds a lone surrogate (half of a UTF-16 pair, such as \\ud800 alone); send valid Unicode text");

    private static string? OptionalFeature(JsonElement e) =>
        OptionalText(e, "feature") is { } slug ? Feature(slug) : null;

    private static string Feature(string slug) =>
        SlugPattern().IsMatch(slug)
            ? slug
            : throw new EventFormatException(
                $"'feature' is '{slug}'; a feature is named by lower-case letters, digits and '-'"
            );

    private static DateTimeOffset Time(JsonElement e)
    {
        if (!e.TryGetProperty("time", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new EventFormatException(
                "'time' is missing; give when it happened as ISO 8601 with an offset, e.g. 2026-11-23T10:15:00Z"
            );
        }
        if (
            value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(
                value.GetString(),
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var time
            )
        )
        {
            return time;
        }
        throw new EventFormatException(
            $"'time' is {Describe(value)}; give it as ISO 8601 text with an offset, e.g. 2026-11-23T10:15:00Z"
        );
    }

    private static string RequiredText(JsonElement e, string name) =>
        OptionalText(e, name) is { Length: > 0 } text
            ? text
            : throw new EventFormatException($"'{name}' is missing or empty");

    /// <summary>A string, or a number or boolean written as text (labels and predictions may be 1 or true).</summary>
    private static string? OptionalText(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Null => null,
            _ => throw new EventFormatException(
                $"'{name}' is {Describe(value)}; it must be text, a number or true/false"
            ),
        };
    }

    private static double? Number(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number))
        {
            return number;
        }
        throw new EventFormatException(
            $"'{name}' is {Describe(value)}; it must be a finite number (NaN and Infinity are not numbers here)"
        );
    }

    private static double? NonNegative(JsonElement e, string name)
    {
        var value = Number(e, name);
        return value < 0
            ? throw new EventFormatException(
                $"'{name}' is {value.Value.ToString(CultureInfo.InvariantCulture)}; it cannot be negative"
            )
            : value;
    }

    /// <summary>A count (tokens, characters): a whole number, 0 or more.</summary>
    private static long? Count(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) && count >= 0
            ? count
            : throw new EventFormatException($"'{name}' is {Describe(value)}; it must be a whole number, 0 or more");
    }

    private static string? Object(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Object
            ? value.GetRawText()
            : throw new EventFormatException(
                $"'{name}' is {Describe(value)}; it must be a JSON object of names and values"
            );
    }

    private static string Describe(JsonElement value) =>
        value.ValueKind switch
        {
            JsonValueKind.String => $"the text \"{Shorten(value.GetString()!)}\"",
            JsonValueKind.Number => $"the number {value.GetRawText()}",
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => "null",
        };

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 37), "...");

    private static string Where(JsonException e) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}"
        );

    private static string Reason(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.');
    }

    [GeneratedRegex("^[a-z0-9-]+$")]
    private static partial Regex SlugPattern();
}
