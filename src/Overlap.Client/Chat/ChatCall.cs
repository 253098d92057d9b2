using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Overlap.Events;

namespace Overlap.Client;

/// <summary>One call through <see cref="OverlapChatClient"/>: when it started and what it was asked, turned into its
/// prediction.</summary>
internal sealed record ChatCall(DateTimeOffset Start, long Timestamp, IList<ChatMessage> Messages, ChatOptions? Options)
{
    /// <summary>The prediction's id: the provider's response id, or a new one when it has none (or one too long to be
    /// an id).</summary>
    public static string IdOf(string? responseId) =>
        responseId is { Length: > 0 and <= EventParser.MaxIdLength } && LoggedText.IsClean(responseId)
            ? responseId
            : Guid.NewGuid().ToString("N");

    public PredictionEvent ToEvent(
        string? id,
        string feature,
        OverlapChatOptions settings,
        ChatResponse? response,
        string? model,
        double latencyMs,
        Exception? error
    )
    {
        var usage = response?.Usage;
        var (name, version) = (Extra(OverlapChatKeys.PromptName), Extra(OverlapChatKeys.PromptVersion));
        name ??= settings.PromptName;
        version ??= settings.PromptVersion;
        return new PredictionEvent
        {
            Id = id ?? IdOf(null),
            Time = Start,
            Feature = feature,
            ModelVersion =
                name is null ? null
                : version is null ? name
                : $"{name}@{version}",
            Model = model is null ? null : LoggedText.Clean(model, EventParser.MaxIdLength),
            LatencyMs = latencyMs,
            InputTokens = usage?.InputTokenCount,
            OutputTokens = usage?.OutputTokenCount,
            Cost =
                model is not null && settings.Prices.TryGetValue(model, out var price)
                    ? price.Cost(usage?.InputTokenCount, usage?.OutputTokenCount)
                    : null,
            ConversationId = (response?.ConversationId ?? Options?.ConversationId) is { } conversation
                ? LoggedText.Clean(conversation, 1000)
                : null,
            Output = response is null ? null : LoggedText.Clean(response.Text, settings.MaxOutputLength),
            Error = error?.GetType().Name,
            InputsJson = InputsJson(settings.MaxInputLength),
            AttributesJson = AttributesJson(settings.Segments),
        };
    }

    private string? Extra(string key) =>
        Options?.AdditionalProperties?.TryGetValue(key, out var value) == true ? Text(value) : null;

    private static string? Text(object? value) =>
        value is null ? null : LoggedText.Clean(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", 1000);

    /// <summary>{"messages":[{"role":…,"text":…}],"omitted_messages":n}: the newest messages that fit in the
    /// bound.</summary>
    private string InputsJson(int maxLength)
    {
        var budget = Math.Max(0, maxLength);
        var kept = new List<(string Role, string Text)>();
        var i = Messages.Count - 1;
        for (; i >= 0 && budget > 0; i--)
        {
            var text = LoggedText.Clean(Messages[i].Text, budget, keepEnd: true);
            budget -= text.Length;
            kept.Add((Messages[i].Role.Value, text));
        }
        kept.Reverse();
        return Json(w =>
        {
            w.WriteStartArray("messages");
            foreach (var (role, text) in kept)
            {
                w.WriteStartObject();
                w.WriteString("role", LoggedText.Clean(role, 100));
                w.WriteString("text", text);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (i >= 0)
            {
                w.WriteNumber("omitted_messages", i + 1);
            }
        });
    }

    private string? AttributesJson(IDictionary<string, string> segments)
    {
        var all = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in segments)
        {
            all[name] = value;
        }
        foreach (var (key, value) in Options?.AdditionalProperties ?? [])
        {
            if (key.StartsWith(OverlapChatKeys.SegmentPrefix, StringComparison.Ordinal) && Text(value) is { } text)
            {
                all[key[OverlapChatKeys.SegmentPrefix.Length..]] = text;
            }
        }
        return all.Count == 0
            ? null
            : Json(w =>
            {
                foreach (var (name, value) in all)
                {
                    w.WriteString(LoggedText.Clean(name, 200), LoggedText.Clean(value, 1000));
                }
            });
    }

    private static string Json(Action<Utf8JsonWriter> writeProperties)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            writeProperties(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
