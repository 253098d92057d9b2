using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Overlap.Events;

/// <summary>Writes events as NDJSON in the shape <see cref="EventParser"/> reads (snake_case, times in ISO 8601 UTC).</summary>
public static class EventWriter
{
    private static readonly JsonWriterOptions Options = new() { SkipValidation = true };

    /// <summary>Appends one line per event to <paramref name="output"/>.</summary>
    public static void WriteNdjson(IEnumerable<FeatureEvent> events, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(events);
        using var writer = new Utf8JsonWriter(output, Options);
        foreach (var e in events)
        {
            Write(writer, e);
            writer.Flush();
            output.Write("\n"u8);
            writer.Reset(output);
        }
    }

    private static void Write(Utf8JsonWriter w, FeatureEvent e)
    {
        w.WriteStartObject();
        w.WriteString("type", e.Kind.ToString().ToLowerInvariant());
        w.WriteString("id", e.Id);
        w.WriteString(
            "time",
            e.Time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)
        );
        switch (e)
        {
            case PredictionEvent p:
                w.WriteString("feature", p.Feature);
                WriteOptional(w, "model_version", p.ModelVersion);
                WriteOptional(w, "score", p.Score);
                WriteOptional(w, "prediction", p.Prediction);
                WriteOptional(w, "latency_ms", p.LatencyMs);
                WriteOptional(w, "cost", p.Cost);
                WriteRaw(w, "inputs", p.InputsJson);
                WriteRaw(w, "attributes", p.AttributesJson);
                WriteOptional(w, "output", p.Output);
                WriteOptional(w, "input_tokens", p.InputTokens);
                WriteOptional(w, "output_tokens", p.OutputTokens);
                WriteOptional(w, "conversation_id", p.ConversationId);
                WriteOptional(w, "model", p.Model);
                WriteOptional(w, "error", p.Error);
                WriteWorkflow(w, p.Workflow);
                break;
            case OutcomeEvent o:
                w.WriteString("prediction_id", o.PredictionId);
                WriteOptional(w, "feature", o.Feature);
                w.WriteString("label", o.Label);
                WriteOptional(w, "source", o.Source);
                break;
            case FeedbackEvent f:
                w.WriteString("prediction_id", f.PredictionId);
                WriteOptional(w, "feature", f.Feature);
                w.WriteString("kind", f.FeedbackKind);
                WriteOptional(w, "edit_distance", f.EditDistance);
                WriteOptional(w, "final_length", f.FinalLength);
                break;
            case BusinessEvent b:
                w.WriteString("name", b.Name);
                w.WriteNumber("value", b.Value);
                WriteOptional(w, "prediction_id", b.PredictionId);
                WriteOptional(w, "feature", b.Feature);
                break;
            default:
                throw new ArgumentException($"unknown event type {e.GetType().Name}", nameof(e));
        }
        w.WriteEndObject();
    }

    private static void WriteWorkflow(Utf8JsonWriter w, WorkflowTrace? workflow)
    {
        if (workflow is null)
        {
            return;
        }
        w.WriteStartObject("workflow");
        w.WriteString("route", workflow.Route);
        w.WriteNumber("attempts", workflow.Attempts);
        w.WriteStartArray("failed_checks");
        foreach (var check in workflow.FailedChecks)
        {
            w.WriteStringValue(check);
        }
        w.WriteEndArray();
        WriteOptional(w, "reason", workflow.Reason);
        w.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    private static void WriteRaw(Utf8JsonWriter w, string name, string? json)
    {
        if (json is not null)
        {
            w.WritePropertyName(name);
            w.WriteRawValue(json, skipInputValidation: false);
        }
    }
}
