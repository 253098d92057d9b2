using System.Globalization;
using System.Text;
using System.Text.Json;
using Overlap.Core.Contracts;

namespace Overlap.Server.Monitoring;

/// <summary>
/// How to send a feature's first events, shaped after its contract: one prediction (its id, score or prediction,
/// latency and segment attributes) and the outcome that labels it, as an NDJSON curl line to <c>POST /v1/events</c>
/// and as the SDK's <c>LogPrediction</c>/<c>LogOutcome</c> calls. Every event here passes the ingest's checks.
/// </summary>
internal sealed class SendDataExample
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The example prediction's id; the outcome names it.</summary>
    public const string PredictionId = "example-1";

    public SendDataExample(Contract contract, Uri server, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(server);
        Contract = contract;
        Server = server.GetLeftPart(UriPartial.Authority);
        Time = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", Inv);
        Prediction = Json(PredictionFields);
        Outcome = Json(OutcomeFields);
    }

    /// <summary>The feature's contract.</summary>
    public Contract Contract { get; }

    /// <summary>The server's address as the browser reached it ("http://127.0.0.1:5080").</summary>
    public string Server { get; }

    /// <summary>The events' time: now, so they land in the current window.</summary>
    public string Time { get; }

    /// <summary>One prediction event, as one NDJSON line.</summary>
    public string Prediction { get; }

    /// <summary>The outcome (label) of that prediction, as one NDJSON line.</summary>
    public string Outcome { get; }

    /// <summary>The inputs the contract watches for drift, which a real prediction sends under "inputs" (none in the example, whose values would be made up).</summary>
    public IReadOnlyList<string> WatchedInputs => Contract.Columns.Features ?? [];

    /// <summary>The curl line that sends <paramref name="lines"/> (NDJSON) with a key in <c>$OVERLAP_KEY</c>.</summary>
    public string Curl(params string[] lines) =>
        "curl -X POST -H \"Authorization: Bearer $OVERLAP_KEY\" -H \"Content-Type: application/x-ndjson\" --data-binary @- \\\n"
        + $"  {Server}/v1/events <<'NDJSON'\n{string.Join('\n', lines)}\nNDJSON";

    /// <summary>The SDK's registration, once at start-up.</summary>
    public string SdkSetup =>
        "builder.Services.AddOverlap(o =>\n{\n"
        + $"    o.Endpoint = new Uri(\"{Server}\");\n"
        + "    o.ApiKey = builder.Configuration[\"Overlap:ApiKey\"];   // an ingest key\n});";

    /// <summary>The SDK call that sends the prediction, with <c>IOverlapClient overlap</c> injected.</summary>
    public string SdkPrediction
    {
        get
        {
            var b = new StringBuilder(
                $"overlap.LogPrediction(new PredictionEvent\n{{\n    Id = {Literal(PredictionId)},\n    Feature = {Literal(Contract.Feature)},\n    Time = DateTimeOffset.UtcNow,\n"
            );
            if (Score is { } score)
            {
                b.Append(Inv, $"    Score = {score},\n");
            }
            if (PredictedLabel is { } predicted)
            {
                b.Append(Inv, $"    Prediction = {Literal(predicted)},\n");
            }
            b.Append("    LatencyMs = 42,\n");
            if (AttributeNames.Count > 0)
            {
                b.Append(Inv, $"    AttributesJson = {Literal(Attributes())},\n");
            }
            return b.Append("});").ToString();
        }
    }

    /// <summary>The SDK call that sends the outcome, once the truth is known.</summary>
    public string SdkOutcome =>
        $"overlap.LogOutcome(new OutcomeEvent\n{{\n    Id = {Literal(PredictionId + ":outcome")},\n    Feature = {Literal(Contract.Feature)},\n"
        + $"    PredictionId = {Literal(PredictionId)},\n    Label = {Literal(Label)},\n    Time = DateTimeOffset.UtcNow,\n}});";

    /// <summary>A score in range for a binary contract with a score column; regression and multiclass send a prediction instead.</summary>
    private double? Score => Contract.Task == TaskKind.Binary && Contract.Columns.Score is not null ? 0.87 : null;

    /// <summary>The model's answer in the contract's words, when the contract reads one (or has no score to read).</summary>
    private string? PredictedLabel => Contract.Columns.Prediction is not null || Score is null ? Label : null;

    /// <summary>A label the contract names: the positive one, the first class, or a number for regression.</summary>
    private string Label =>
        Contract.Task switch
        {
            TaskKind.Binary => Contract.Labels.Positive ?? "1",
            TaskKind.Multiclass => Contract.Labels.Classes.Count > 0 ? Contract.Labels.Classes[0] : "a class",
            _ => "12.5",
        };

    private void PredictionFields(Utf8JsonWriter w)
    {
        w.WriteString("type", "prediction");
        w.WriteString("id", PredictionId);
        w.WriteString("feature", Contract.Feature);
        w.WriteString("time", Time);
        if (Score is { } score)
        {
            w.WriteNumber("score", score);
        }
        if (PredictedLabel is { } predicted)
        {
            w.WriteString("prediction", predicted);
        }
        // Production latency comes from the event, whatever the contract's columns: the volume chart draws it.
        w.WriteNumber("latency_ms", 42);
        if (AttributeNames.Count > 0)
        {
            w.WritePropertyName("attributes");
            w.WriteRawValue(Attributes());
        }
    }

    private void OutcomeFields(Utf8JsonWriter w)
    {
        w.WriteString("type", "outcome");
        w.WriteString("id", PredictionId + ":outcome");
        w.WriteString("feature", Contract.Feature);
        w.WriteString("prediction_id", PredictionId);
        w.WriteString("label", Label);
        w.WriteString("time", Time);
    }

    /// <summary>The segments the contract breaks figures down by, then its sensitive attributes.</summary>
    private IReadOnlyList<string> AttributeNames =>
        [.. Contract.Columns.Segments.Concat(Contract.Fairness?.Attributes ?? []).Distinct(StringComparer.Ordinal)];

    /// <summary>Each segment and sensitive attribute, with a placeholder value to replace by the real one.</summary>
    private string Attributes() =>
        Json(w =>
        {
            foreach (var segment in AttributeNames)
            {
                w.WriteString(segment, $"<{segment}>");
            }
        });

    private static string Json(Action<Utf8JsonWriter> fields)
    {
        using var stream = new MemoryStream();
        using (
            var w = new Utf8JsonWriter(
                stream,
                new JsonWriterOptions
                {
                    Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
                }
            )
        )
        {
            w.WriteStartObject();
            fields(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>A C# string literal: a raw one when the text holds a quote or a backslash.</summary>
    private static string Literal(string text) =>
        text.Contains('"', StringComparison.Ordinal) || text.Contains('\\', StringComparison.Ordinal)
            ? $"\"\"\"{text}\"\"\""
            : $"\"{text}\"";
}
