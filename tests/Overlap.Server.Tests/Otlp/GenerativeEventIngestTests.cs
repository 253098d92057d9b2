using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Overlap.Events;
using Overlap.Storage;

namespace Overlap.Server.Tests.Otlp;

/// <summary>
/// A generative call and feedback on its output sent to <c>/v1/events</c> (the example in docs/api.md): stored with
/// every field, a bad one refused by index with its reason, and an older client's events read as before.
/// </summary>
public sealed class GenerativeEventIngestTests : IAsyncLifetime
{
    private const string Feature = "reply-drafter";
    private static readonly DateTimeOffset Day = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        using var admin = _server.Client(KeyRole.Admin);
        var yaml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "payments-fraud.yaml"))
            .Replace("feature: payments-fraud", $"feature: {Feature}", StringComparison.Ordinal);
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(yaml))).StatusCode
        );
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GenerativeFields_AreStored_AndAMisplacedEditDistanceIsRefusedByIndex()
    {
        const string Body = """
            {"type":"prediction","id":"chatcmpl-1","feature":"reply-drafter","time":"2026-11-23T10:00:00Z","model_version":"reply@3","model":"gpt-4o-mini","output":"Hi Ann, it ships today.","input_tokens":812,"output_tokens":45,"conversation_id":"t-9","latency_ms":930,"cost":0.0001488,"inputs":{"messages":[{"role":"user","text":"Where is my order?"}]},"attributes":{"channel":"email"}}
            {"type":"feedback","id":"f1","prediction_id":"chatcmpl-1","feature":"reply-drafter","kind":"edited","edit_distance":5,"final_length":26,"time":"2026-11-23T10:01:00Z"}
            {"type":"feedback","id":"f2","prediction_id":"chatcmpl-1","feature":"reply-drafter","kind":"thumbs_up","edit_distance":3,"time":"2026-11-23T10:02:00Z"}
            {"type":"prediction","id":"old-client","feature":"reply-drafter","time":"2026-11-23T10:03:00Z","score":0.4,"latency_ms":12}
            """;
        using var ingest = _server.Client(KeyRole.Ingest);
        using var content = new StringContent(Body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        using var response = await ingest.PostAsync("/v1/events", content);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(3, answer.RootElement.GetProperty("accepted").GetInt32());
        var rejected = Assert.Single(answer.RootElement.GetProperty("rejected").EnumerateArray());
        Assert.Equal(
            (
                2,
                "'edit_distance' and 'final_length' belong to kind 'edited', not 'thumbs_up'; leave them out or send kind 'edited'"
            ),
            (rejected.GetProperty("index").GetInt32(), rejected.GetProperty("error").GetString())
        );

        await _server.CountAsync(Feature);
        var stored = await _server.Store<IEventReader>().ReadEventsAsync(Feature, Day, Day.AddDays(1));
        Assert.Equal(
            [
                new PredictionEvent
                {
                    Id = "chatcmpl-1",
                    Feature = Feature,
                    Time = Day.AddHours(10),
                    ModelVersion = "reply@3",
                    Model = "gpt-4o-mini",
                    Output = "Hi Ann, it ships today.",
                    InputTokens = 812,
                    OutputTokens = 45,
                    ConversationId = "t-9",
                    LatencyMs = 930,
                    Cost = 0.0001488,
                    InputsJson = """{"messages":[{"role":"user","text":"Where is my order?"}]}""",
                    AttributesJson = """{"channel":"email"}""",
                },
                new FeedbackEvent
                {
                    Id = "f1",
                    Feature = Feature,
                    PredictionId = "chatcmpl-1",
                    Time = Day.AddHours(10).AddMinutes(1),
                    FeedbackKind = FeedbackKinds.Edited,
                    EditDistance = 5,
                    FinalLength = 26,
                },
                new PredictionEvent
                {
                    Id = "old-client",
                    Feature = Feature,
                    Time = Day.AddHours(10).AddMinutes(3),
                    Score = 0.4,
                    LatencyMs = 12,
                },
            ],
            stored
        );
    }
}
