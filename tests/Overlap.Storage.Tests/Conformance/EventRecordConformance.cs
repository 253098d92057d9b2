using Overlap.Events;

namespace Overlap.Storage.Tests.Conformance;

/// <summary>
/// What was appended reads back field for field: a generative call's output, tokens, model, conversation and error; an
/// edit's distance; every kind, for its own feature and range, in a stated order.
/// </summary>
public abstract class EventRecordConformance<TBackend> : StoreConformance<TBackend>
    where TBackend : IConformanceBackend, new()
{
    private static FeatureEvent[] Events(DateTimeOffset time) =>
        [
            new PredictionEvent
            {
                Id = "c1",
                Time = time,
                Feature = "reply-drafter",
                ModelVersion = "reply@3",
                LatencyMs = 930.5,
                Cost = 0.000149,
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
                Time = time.AddSeconds(1),
                Feature = "reply-drafter",
                Error = "HttpRequestException",
                LatencyMs = 12,
            },
            new FeedbackEvent
            {
                Id = "f1",
                Time = time.AddMinutes(1),
                PredictionId = "c1",
                Feature = "reply-drafter",
                FeedbackKind = FeedbackKinds.Edited,
                EditDistance = 17,
                FinalLength = 120,
            },
            new FeedbackEvent
            {
                Id = "f0",
                Time = time.AddMinutes(1),
                PredictionId = "c1",
                Feature = "reply-drafter",
                FeedbackKind = FeedbackKinds.Copied,
            },
            new OutcomeEvent
            {
                Id = "o1",
                Time = time.AddMinutes(1),
                PredictionId = "c1",
                Feature = "reply-drafter",
                Label = "acceptable",
                Source = "review",
            },
            new BusinessEvent
            {
                Id = "b1",
                Time = time.AddMinutes(2),
                Name = "ticket_closed",
                Value = 1,
                PredictionId = "c1",
                Feature = "reply-drafter",
            },
        ];

    [Fact]
    public async Task ReadEvents_GenerativeFields_ReadBackAsAppended_AfterReopening()
    {
        var sent = Events(Noon);
        await using (var store = Open())
        {
            Assert.Equal(new AppendResult(6, 0), await store.Sink.AppendAsync(sent, Noon));
        }
        await using var reopened = Open();
        var read = await reopened.Reader.ReadEventsAsync("reply-drafter", Midnight, Midnight.AddDays(1));
        // Time, then kind (prediction, outcome, feedback, business), then id.
        Assert.Equal([sent[0], sent[1], sent[4], sent[3], sent[2], sent[5]], read);
    }

    [Fact]
    public async Task ReadEvents_KeepsToTheFeatureAndTheRange()
    {
        await using var store = Open();
        await store.Sink.AppendAsync(Events(Noon), Noon);
        await store.Sink.AppendAsync(
            [
                new PredictionEvent
                {
                    Id = "c1",
                    Time = Noon,
                    Feature = "other",
                },
            ],
            Noon
        );
        Assert.Equal(
            ["c2", "o1", "f0", "f1"],
            (await store.Reader.ReadEventsAsync("reply-drafter", Noon.AddSeconds(1), Noon.AddMinutes(2))).Select(e =>
                e.Id
            )
        );
        Assert.Equal(
            "other",
            Assert
                .IsType<PredictionEvent>(
                    Assert.Single(await store.Reader.ReadEventsAsync("other", Midnight, Midnight.AddDays(1)))
                )
                .Feature
        );
        Assert.Empty(await store.Reader.ReadEventsAsync("nobody", Midnight, Midnight.AddDays(1)));
    }

    [Fact]
    public async Task ReadEvents_OfSomeKinds_ReadsOnlyThose_InTheSameOrder()
    {
        var sent = Events(Noon);
        await using var store = Open();
        await store.Sink.AppendAsync(sent, Noon);
        Assert.Equal(
            [sent[3], sent[2], sent[5]],
            await store.Reader.ReadEventsAsync(
                "reply-drafter",
                Midnight,
                Midnight.AddDays(1),
                new HashSet<EventKind> { EventKind.Feedback, EventKind.Business }
            )
        );
        Assert.Equal(
            [sent[4]],
            await store.Reader.ReadEventsAsync(
                "reply-drafter",
                Midnight,
                Midnight.AddDays(1),
                new HashSet<EventKind> { EventKind.Outcome }
            )
        );
    }
}
