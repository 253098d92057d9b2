using System.Text;
using Overlap.Events;

namespace Overlap.Events.Tests;

/// <summary>The fields of a generative call and of feedback on its output: read, refused with a reason, written back.</summary>
public sealed class GenerativeEventTests
{
    private static EventBatch Parse(string body) => EventParser.Parse(Encoding.UTF8.GetBytes(body));

    [Fact]
    public void Prediction_GenerativeFields_AreRead()
    {
        var batch = Parse(
            """
            {"type":"prediction","id":"c1","feature":"reply-drafter","time":"2026-11-23T10:00:00Z","model_version":"reply@3","output":"Hi Ann, done.","input_tokens":812,"output_tokens":45,"conversation_id":"t-9","model":"gpt-4o-mini","latency_ms":930,"cost":0.000149}
            {"type":"prediction","id":"c2","feature":"reply-drafter","time":"2026-11-23T10:00:01Z","error":"HttpRequestException"}
            """
        );
        Assert.Empty(batch.Errors);
        var first = Assert.IsType<PredictionEvent>(batch.Events[0].Event);
        Assert.Equal("reply@3", first.ModelVersion);
        Assert.Equal("Hi Ann, done.", first.Output);
        Assert.Equal(812L, first.InputTokens);
        Assert.Equal(45L, first.OutputTokens);
        Assert.Equal("t-9", first.ConversationId);
        Assert.Equal("gpt-4o-mini", first.Model);
        Assert.Null(first.Error);
        Assert.Equal(0.000149, first.Cost);
        var failed = Assert.IsType<PredictionEvent>(batch.Events[1].Event);
        Assert.Equal("HttpRequestException", failed.Error);
        Assert.Null(failed.Output);
    }

    [Theory]
    [InlineData("\"input_tokens\":-1", "'input_tokens' is the number -1; it must be a whole number, 0 or more")]
    [InlineData("\"output_tokens\":2.5", "'output_tokens' is the number 2.5; it must be a whole number, 0 or more")]
    [InlineData("\"input_tokens\":\"12\"", "'input_tokens' is the text \"12\"; it must be a whole number, 0 or more")]
    [InlineData("\"output\":{\"text\":\"hi\"}", "'output' is an object; it must be text, a number or true/false")]
    public void Prediction_BadGenerativeField_IsRefusedWithItsReason(string field, string error)
    {
        var batch = Parse(
            $$"""
            {"type":"prediction","id":"ok","feature":"f","time":"2026-11-23T10:00:00Z"}
            {"type":"prediction","id":"bad","feature":"f","time":"2026-11-23T10:00:00Z",{{field}}}
            """
        );
        Assert.Equal("ok", Assert.Single(batch.Events).Event.Id);
        Assert.Equal(new EventError(1, error), Assert.Single(batch.Errors));
    }

    [Fact]
    public void Feedback_EditedCarriesDistance_OtherKindsMayNot()
    {
        var batch = Parse(
            """
            {"type":"feedback","id":"f1","prediction_id":"c1","kind":"edited","edit_distance":17,"final_length":120,"time":"2026-11-23T10:00:00Z"}
            {"type":"feedback","id":"f2","prediction_id":"c1","kind":"thumbs_down","edit_distance":3,"time":"2026-11-23T10:00:00Z"}
            {"type":"feedback","id":"f3","prediction_id":"c1","kind":"edited","edit_distance":-2,"time":"2026-11-23T10:00:00Z"}
            {"type":"feedback","id":"f4","prediction_id":"c1","kind":"edited","time":"2026-11-23T10:00:00Z"}
            {"type":"feedback","id":"f5","prediction_id":"c1","kind":"shared_to_slack","time":"2026-11-23T10:00:00Z"}
            """
        );
        Assert.Equal(["f1", "f4", "f5"], batch.Events.Select(e => e.Event.Id));
        var edited = Assert.IsType<FeedbackEvent>(batch.Events[0].Event);
        Assert.Equal((17L, 120L), (edited.EditDistance, edited.FinalLength));
        Assert.Equal(
            [
                new EventError(
                    1,
                    "'edit_distance' and 'final_length' belong to kind 'edited', not 'thumbs_down'; leave them out or send kind 'edited'"
                ),
                new EventError(2, "'edit_distance' is the number -2; it must be a whole number, 0 or more"),
            ],
            batch.Errors
        );
    }

    [Fact]
    public void GenerativeEvents_WrittenAndParsedBack_AreEqual()
    {
        var time = new DateTimeOffset(2026, 11, 23, 10, 15, 30, TimeSpan.Zero);
        FeatureEvent[] events =
        [
            new PredictionEvent
            {
                Id = "c1",
                Time = time,
                Feature = "reply-drafter",
                ModelVersion = "reply@3",
                LatencyMs = 930.5,
                Cost = 0.00015,
                InputsJson = """{"messages":[{"role":"user","text":"Where is my order?"}]}""",
                AttributesJson = """{"channel":"email"}""",
                Output = "Hi Ann,\nit ships today. \u00e9\ud83d\ude00",
                InputTokens = 812,
                OutputTokens = 45,
                ConversationId = "t-9",
                Model = "gpt-4o-mini",
            },
            new PredictionEvent
            {
                Id = "c2",
                Time = time,
                Feature = "reply-drafter",
                Error = "TimeoutException",
            },
            new FeedbackEvent
            {
                Id = "f1",
                Time = time,
                PredictionId = "c1",
                Feature = "reply-drafter",
                FeedbackKind = FeedbackKinds.Edited,
                EditDistance = 17,
                FinalLength = 120,
            },
            new FeedbackEvent
            {
                Id = "f2",
                Time = time,
                PredictionId = "c1",
                FeedbackKind = FeedbackKinds.Copied,
            },
        ];
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        EventWriter.WriteNdjson(events, output);
        var batch = EventParser.Parse(output.WrittenMemory);
        Assert.Empty(batch.Errors);
        Assert.Equal(events, batch.Events.Select(e => e.Event));
    }
}
