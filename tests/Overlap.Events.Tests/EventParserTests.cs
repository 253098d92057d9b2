using System.Text;
using Overlap.Events;

namespace Overlap.Events.Tests;

public sealed class EventParserTests
{
    private static EventBatch Parse(string body) => EventParser.Parse(Encoding.UTF8.GetBytes(body));

    [Fact]
    public void Array_GoodEventsKept_BadOnesAnsweredWithIndexAndReason()
    {
        var batch = Parse(
            """
            [
              {"type":"prediction","id":"p1","feature":"fraud","time":"2026-11-23T10:00:00Z","score":0.91,"prediction":1,"latency_ms":12.5,"cost":0.002,"model_version":"v3","inputs":{"amount":120},"attributes":{"country":"de"}},
              {"type":"prediction","id":"p2","feature":"fraud","score":0.2},
              {"type":"prediction","id":"p3","feature":"fraud","time":"2026-11-23T10:00:00Z","score":"NaN"},
              {"type":"prediction","id":"p4","feature":"fraud","time":"2026-11-23T10:00:00Z","score":1e999},
              {"type":"outcome","id":"o1","prediction_id":"p1","label":true,"time":"2026-11-25T08:00:00+01:00"},
              {"type":"click","id":"x","time":"2026-11-23T10:00:00Z"},
              {"type":"prediction","id":"p5","feature":"Fraud Team","time":"2026-11-23T10:00:00Z"},
              {"type":"prediction","id":"p6","feature":"fraud","time":"2026-11-23T10:00:00Z","inputs":[1,2]},
              {"type":"prediction","id":"p7","feature":"fraud","time":"2026-11-23T10:00:00Z","latency_ms":-3},
              {"type":"feedback","id":"f1","prediction_id":"p1","kind":"thumbs_down","time":"2026-11-23T10:05:00Z"},
              {"type":"business","id":"b1","name":"chargeback","value":120.5,"prediction_id":"p1","time":"2026-12-01T00:00:00Z"},
              42
            ]
            """
        );
        Assert.Equal(12, batch.Count);
        Assert.Equal([0, 4, 9, 10], batch.Events.Select(e => e.Index));
        var p1 = Assert.IsType<PredictionEvent>(batch.Events[0].Event);
        Assert.Equal(
            (0.91, "1", 12.5, 0.002, "v3", "{\"amount\":120}", "{\"country\":\"de\"}"),
            (
                p1.Score!.Value,
                p1.Prediction,
                p1.LatencyMs!.Value,
                p1.Cost!.Value,
                p1.ModelVersion,
                p1.InputsJson,
                p1.AttributesJson
            )
        );
        var o1 = Assert.IsType<OutcomeEvent>(batch.Events[1].Event);
        Assert.Equal(
            ("p1", "true", new DateTimeOffset(2026, 11, 25, 7, 0, 0, TimeSpan.Zero)),
            (o1.PredictionId, o1.Label, o1.Time)
        );
        Assert.Equal("thumbs_down", Assert.IsType<FeedbackEvent>(batch.Events[2].Event).FeedbackKind);
        Assert.Equal(120.5, Assert.IsType<BusinessEvent>(batch.Events[3].Event).Value);
        Assert.Equal(
            [
                new EventError(
                    1,
                    "'time' is missing; give when it happened as ISO 8601 with an offset, e.g. 2026-11-23T10:15:00Z"
                ),
                new EventError(
                    2,
                    "'score' is the text \"NaN\"; it must be a finite number (NaN and Infinity are not numbers here)"
                ),
                new EventError(
                    3,
                    "'score' is the number 1e999; it must be a finite number (NaN and Infinity are not numbers here)"
                ),
                new EventError(5, "unknown type 'click'; use prediction, outcome, feedback or business"),
                new EventError(
                    6,
                    "'feature' is 'Fraud Team'; a feature is named by lower-case letters, digits and '-'"
                ),
                new EventError(7, "'inputs' is an array; it must be a JSON object of names and values"),
                new EventError(8, "'latency_ms' is -3; it cannot be negative"),
                new EventError(11, "an event must be a JSON object, not the number 42"),
            ],
            batch.Errors
        );
    }

    [Fact]
    public void Ndjson_BrokenLineIsOneBadEvent_TheRestAreKept()
    {
        var batch = Parse(
            "{\"type\":\"outcome\",\"id\":\"o1\",\"prediction_id\":\"p1\",\"label\":\"spam\",\"time\":\"2026-11-23T10:00:00Z\"}\r\n\n{\"type\":\"outcome\",\"id\":\"o2\",\"label\":NaN}\n{\"type\":\"outcome\",\"id\":\"o3\",\"prediction_id\":\"p3\",\"label\":0,\"time\":\"2026-11-23T10:00:00Z\"}"
        );
        Assert.Equal(3, batch.Count);
        Assert.Equal([0, 2], batch.Events.Select(e => e.Index));
        Assert.Equal("0", ((OutcomeEvent)batch.Events[1].Event).Label);
        var error = Assert.Single(batch.Errors);
        Assert.Equal(1, error.Index);
        Assert.StartsWith("not valid JSON (", error.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "the body is empty; send a JSON array of events or one JSON object per line (NDJSON)")]
    [InlineData("  \n ", "the body is empty; send a JSON array of events or one JSON object per line (NDJSON)")]
    [InlineData(
        "type=prediction",
        "the body must start with '[' (a JSON array of events) or '{' (one JSON object per line, NDJSON)"
    )]
    public void NotJson_IsRefusedAsAWhole(string body, string message) =>
        Assert.Equal(message, Assert.Throws<EventFormatException>(() => Parse(body)).Message);

    [Fact]
    public void BrokenArray_SaysWhereAndSuggestsNdjson()
    {
        var e = Assert.Throws<EventFormatException>(() => Parse("[{\"type\":\"prediction\"},\n {\"id\": NaN}]"));
        Assert.StartsWith("the body is not valid JSON (line 2, byte ", e.Message, StringComparison.Ordinal);
        Assert.EndsWith(
            "send a JSON array of event objects, or NDJSON so one bad line does not spoil the rest",
            e.Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void LongId_IsRefused()
    {
        var batch = Parse(
            $"[{{\"type\":\"feedback\",\"id\":\"{new string('x', 201)}\",\"prediction_id\":\"p\",\"kind\":\"edited\",\"time\":\"2026-11-23T10:00:00Z\"}}]"
        );
        Assert.Equal("'id' is 201 characters long; keep ids to 200", Assert.Single(batch.Errors).Error);
    }

    [Fact]
    public void WrittenEvents_ParseBackEqual()
    {
        var time = new DateTimeOffset(2026, 11, 23, 10, 15, 30, 123, TimeSpan.FromHours(1)).AddTicks(4567);
        FeatureEvent[] events =
        [
            new PredictionEvent
            {
                Id = "p\"1",
                Time = time,
                Feature = "fraud",
                ModelVersion = "v2",
                Score = 0.1 + 0.2,
                Prediction = "1",
                LatencyMs = 12.25,
                Cost = 0.0003,
                InputsJson = "{\"amount\":120.5,\"text\":\"h\u00e9\"}",
                AttributesJson = "{\"country\":\"de\"}",
            },
            new PredictionEvent
            {
                Id = "p2",
                Time = time,
                Feature = "fraud",
            },
            new OutcomeEvent
            {
                Id = "o1",
                Time = time,
                PredictionId = "p\"1",
                Label = "spam",
                Source = "review",
            },
            new FeedbackEvent
            {
                Id = "f1",
                Time = time,
                PredictionId = "p2",
                FeedbackKind = "edited",
            },
            new BusinessEvent
            {
                Id = "b1",
                Time = time,
                Name = "refund",
                Value = -12.5,
                PredictionId = "p2",
                Feature = "fraud",
            },
        ];
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        EventWriter.WriteNdjson(events, output);
        var batch = EventParser.Parse(output.WrittenMemory);
        Assert.Empty(batch.Errors);
        Assert.Equal(events, batch.Events.Select(e => e.Event));
    }
}
